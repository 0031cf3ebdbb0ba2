package dev.websocketecho.session;

import dev.websocketecho.config.EchoSettings;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** Runs the {@link Heartbeat} while the application is deployed, and stops its threads when it is undeployed. */
@WebListener
public class HeartbeatListener implements ServletContextListener {

    private Heartbeat heartbeat;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        EchoSettings settings = EchoSettings.current();
        heartbeat = Heartbeat.start(SessionRegistry.instance(), settings.pingInterval(), settings.idleTimeout(),
                settings.sendTimeout(), settings.maxStalledSends());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        heartbeat.close();
    }
}
