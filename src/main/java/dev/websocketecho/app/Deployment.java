package dev.websocketecho.app;

import dev.websocketecho.cluster.ClusterDetection;
import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.config.Tyrus;
import dev.websocketecho.limits.FrameBufferSizing;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Makes the {@link EchoApplication} when the WAR is deployed, from the server's settings, and closes it when the WAR is
 * undeployed. A wrong setting fails the deployment with its name. The filters and servlets find the application in
 * the servlet context, the endpoint's configurator in {@link CurrentApplication}.
 */
@WebListener
public class Deployment implements ServletContextListener {

    /** The servlet context attribute that holds the application. */
    public static final String ATTRIBUTE = EchoApplication.class.getName();

    private static final Logger LOG = System.getLogger(Deployment.class.getName());

    /** The application a filter or servlet of this deployment belongs to. */
    public static EchoApplication of(ServletContext context) {
        return (EchoApplication) context.getAttribute(ATTRIBUTE);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        EchoSettings settings = EchoSettings.fromSystem();
        log(context.getContextPath(), settings);
        boolean tyrus = Tyrus.runs(context);
        if (tyrus) {
            FrameBufferSizing.apply(context, settings.maxMessageBytes());
        }
        // Only Tyrus loses the close of a peer that leaves during the handshake; every other container of the matrix
        // reports it (GhostSessionIT), and a ping at the start of every connection only adds writes where new
        // connections are busiest.
        EchoApplication application = EchoApplication.start(settings, tyrus);
        ClusterDetection.join(settings.maxMessageBytes(), application.topics()::deliver).ifPresent(application::joinCluster);
        context.setAttribute(ATTRIBUTE, application);
        CurrentApplication.set(application);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        EchoApplication application = of(event.getServletContext());
        if (application == null) {
            // The deployment failed before the application was made; the container has logged why.
            return;
        }
        CurrentApplication.clear(application);
        event.getServletContext().removeAttribute(ATTRIBUTE);
        application.close();
    }

    private static void log(String contextPath, EchoSettings settings) {
        LOG.log(Level.INFO, () -> String.format(
                "websocket-echo at %s/echo and %<s/topics/{topic}: maximum message %d bytes, origins allowed: %s,"
                        + " send timeout %d ms, at most %d stalled sends, ping every %d ms, idle timeout %d ms,"
                        + " first pong within %d ms, at most %d connections, %d per address, permessage-deflate %s,"
                        + " at most %d bytes queued per subscriber, publish API %s",
                contextPath, settings.maxMessageBytes(),
                settings.anyOriginAllowed() ? "any" : "the page's own" + (settings.allowedOrigins().isEmpty() ? ""
                        : " and " + String.join(", ", settings.allowedOrigins())),
                settings.sendTimeout().toMillis(), settings.maxStalledSends(), settings.pingInterval().toMillis(),
                settings.idleTimeout().toMillis(), settings.firstPongTimeout().toMillis(), settings.maxConnections(),
                settings.maxConnectionsPerAddress(), settings.permessageDeflate() ? "on" : "off",
                settings.maxQueuedBytes(), settings.publishToken().isPresent() ? "on" : "off"));
    }
}
