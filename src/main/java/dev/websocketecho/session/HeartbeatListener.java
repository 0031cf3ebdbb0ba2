package dev.websocketecho.session;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.config.Tyrus;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs the {@link Heartbeat} while the application is deployed, and stops its threads when it is undeployed. New
 * sessions are pinged as they open only where the WebSocket engine is Tyrus, which on Grizzly loses the close of a
 * peer that leaves during the handshake; every other container of the matrix reports it (GhostSessionIT), and a ping
 * at the start of every connection only adds writes where new connections are busiest.
 */
@WebListener
public class HeartbeatListener implements ServletContextListener {

    private Heartbeat heartbeat;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        EchoSettings settings = EchoSettings.current();
        Optional<Duration> firstPongTimeout = Tyrus.runs(event.getServletContext())
                ? Optional.of(settings.firstPongTimeout()) : Optional.empty();
        heartbeat = Heartbeat.start(SessionRegistry.instance(), settings.pingInterval(), settings.idleTimeout(),
                settings.sendTimeout(), settings.maxStalledSends(), firstPongTimeout);
    }


    @Override
    public void contextDestroyed(ServletContextEvent event) {
        heartbeat.close();
    }
}
