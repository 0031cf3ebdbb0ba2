package dev.websocketecho.handshake;

import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.handshake.HandshakeRules.Verdict;
import dev.websocketecho.session.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/** What every endpoint of the application does as a connection opens and when it fails. */
public final class SessionLifecycle {

    private static final Logger LOG = System.getLogger(SessionLifecycle.class.getName());

    private SessionLifecycle() {
    }

    /**
     * Registers the session, with the session's timeouts set the same way on every container, and acts on the verdict on
     * its handshake: a connection refused after the container upgraded it is closed at once with the close code that
     * names the refusal.
     *
     * @return the session's connection, closing already when it was refused
     */
    public static Connection open(Session session, EndpointConfig config, EchoApplication application) {
        // Idle connections are the Heartbeat's to close, the same way on every container; their own defaults differ.
        // Negative rather than zero: Tyrus 2.1.6, 2.2.1 and newer skip their idle timer for a negative timeout only,
        // and otherwise reschedule it on every message part and every send, which on Payara costs most of an echo.
        session.setMaxIdleTimeout(-1);
        // Tomcat waits up to 30 s for the peer's answer to a close frame and 20 s for a blocking write, such as a ping;
        // here both take the send timeout like every other write. Other containers ignore these properties.
        long sendTimeoutMillis = application.settings().sendTimeout().toMillis();
        session.getUserProperties().put("org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT", sendTimeoutMillis);
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", sendTimeoutMillis);
        Verdict verdict = (Verdict) config.getUserProperties().get(HandshakeConfigurator.VERDICT);
        if (verdict == null) {
            // The container did not ask the configurator: nothing is known of the handshake but that it happened.
            verdict = new HandshakeRules(application).judge(HandshakeRules.SUPPORTED_VERSION, null, List.of(), null,
                    null);
        }
        Connection connection = application.registry().register(session, verdict.admission());
        if (!verdict.granted()) {
            LOG.log(Level.INFO, "Session {0} refused: {1}", session.getId(), verdict.reason());
            connection.close(closeReason(verdict));
            return connection;
        }
        LOG.log(Level.DEBUG, "Session {0} opened", session.getId());
        return connection;
    }

    /**
     * Forgets a session the container reports failed. Most failures are the peer's (broken frames, invalid UTF-8) and
     * the container has closed the connection with the code that names them already: one line, not a stack trace, per
     * failure; anything else closes the connection with 1011.
     */
    public static void failed(Session session, Throwable error, Connection connection, EchoApplication application) {
        application.registry().remove(session);
        if (error instanceof IOException) {
            LOG.log(Level.DEBUG, "Session {0} lost its connection: {1}", session.getId(), String.valueOf(error));
            return;
        }
        LOG.log(Level.INFO, "Session {0} failed: {1}", session.getId(), String.valueOf(error));
        LOG.log(Level.DEBUG, "Session " + session.getId() + " failed", error);
        if (connection != null) {
            connection.close(new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "Internal server error"));
        }
    }

    private static CloseReason closeReason(Verdict refused) {
        return switch (refused.refusal()) {
            case UNSUPPORTED_VERSION -> new CloseReason(CloseCodes.PROTOCOL_ERROR, refused.reason());
            case INVALID_TOPIC, FOREIGN_ORIGIN -> new CloseReason(CloseCodes.VIOLATED_POLICY, refused.reason());
            case OVER_CAP -> new CloseReason(CloseCodes.TRY_AGAIN_LATER, "Try again later: too many connections");
        };
    }
}
