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
        LOG.log(Level.INFO, "websocket-echo at {0}/echo: maximum message {1} bytes, allowed origins {2}, send timeout {3} ms",
                event.getServletContext().getContextPath(), settings.maxMessageBytes(),
                settings.anyOriginAllowed() ? "any" : "same origin and " + settings.allowedOrigins(),
                settings.sendTimeout().toMillis());
    }
}
