package dev.websocketecho.config;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** Reads the settings when the application is deployed, so that a wrong value fails the deployment with its name. */
@WebListener
public class SettingsListener implements ServletContextListener {

    private static final Logger LOG = System.getLogger(SettingsListener.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        EchoSettings settings = EchoSettings.current();
        LOG.log(Level.INFO, () -> String.format(
                "websocket-echo at %s/echo: maximum message %d bytes, origins allowed: %s, send timeout %d ms,"
                        + " at most %d stalled sends, ping every %d ms, idle timeout %d ms, first pong within %d ms,"
                        + " at most %d connections, %d per address, permessage-deflate %s",
                event.getServletContext().getContextPath(), settings.maxMessageBytes(),
                settings.anyOriginAllowed() ? "any" : "the page's own" + (settings.allowedOrigins().isEmpty() ? ""
                        : " and " + String.join(", ", settings.allowedOrigins())),
                settings.sendTimeout().toMillis(), settings.maxStalledSends(), settings.pingInterval().toMillis(),
                settings.idleTimeout().toMillis(), settings.firstPongTimeout().toMillis(), settings.maxConnections(),
                settings.maxConnectionsPerAddress(), settings.permessageDeflate() ? "on" : "off"));
    }
}
