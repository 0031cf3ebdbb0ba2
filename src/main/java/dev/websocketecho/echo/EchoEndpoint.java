package dev.websocketecho.echo;

import dev.websocketecho.app.CurrentApplication;
import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.echo.MessageAssembler.Message;
import dev.websocketecho.echo.MessageAssembler.TooBigException;
import dev.websocketecho.handshake.HandshakeRules;
import dev.websocketecho.handshake.HandshakeRules.Verdict;
import dev.websocketecho.session.Connection;
import dev.websocketecho.session.SessionRegistry;
import dev.websocketecho.stats.EchoStats;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Predicate;

/**
 * Sends every message back to its sender: text as the same text, binary as the same bytes, in order, on the same
 * connection. Messages arrive in parts so that the size limit is ours to enforce, with 1009 and a reason naming it.
 * <p>
 * The container creates one instance per connection, through {@link EchoConfigurator}, and never calls it from two
 * threads at once.
 */
@ServerEndpoint(value = "/echo", configurator = EchoConfigurator.class)
public class EchoEndpoint {

    private static final Logger LOG = System.getLogger(EchoEndpoint.class.getName());

    private final EchoApplication application;
    private final EchoSettings settings;
    private final SessionRegistry registry;
    private final EchoStats stats;
    private final MessageAssembler<String> text;
    private final MessageAssembler<ByteBuffer> binary;
    private Connection connection;

    /**
     * The specification requires an annotated endpoint to have a public no-argument constructor, and Open Liberty
     * refuses to deploy one without it; {@link EchoConfigurator} makes every instance with the other constructor.
     */
    public EchoEndpoint() {
        this(CurrentApplication.get());
    }

    EchoEndpoint(EchoApplication application) {
        this.application = application;
        this.settings = application.settings();
        this.registry = application.registry();
        this.stats = application.stats();
        this.text = MessageAssembler.text(settings.maxMessageBytes());
        this.binary = MessageAssembler.binary(settings.maxMessageBytes());
    }

    @OnOpen
    public void onOpen(Session session, EndpointConfig config) {
        // Idle connections are the Heartbeat's to close, the same way on every container; their own defaults differ.
        // Negative rather than zero: Tyrus 2.1.6, 2.2.1 and newer skip their idle timer for a negative timeout only,
        // and otherwise reschedule it on every message part and every send, which on Payara costs most of an echo.
        session.setMaxIdleTimeout(-1);
        // Tomcat waits up to 30 s for the peer's answer to a close frame and 20 s for a blocking write, such as a ping;
        // here both take the send timeout like every other write. Other containers ignore these properties.
        long sendTimeoutMillis = settings.sendTimeout().toMillis();
        session.getUserProperties().put("org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT", sendTimeoutMillis);
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", sendTimeoutMillis);
        Verdict verdict = (Verdict) config.getUserProperties().get(EchoConfigurator.VERDICT);
        if (verdict == null) {
            // The container did not ask the configurator: nothing is known of the handshake but that it happened.
            verdict = new HandshakeRules(application).judge(HandshakeRules.SUPPORTED_VERSION, List.of(), null, null);
        }
        connection = registry.register(session, verdict.admission());
        if (!verdict.granted()) {
            LOG.log(Level.INFO, "Session {0} refused: {1}", session.getId(), verdict.reason());
            connection.close(closeReason(verdict));
            return;
        }
        LOG.log(Level.DEBUG, "Session {0} opened", session.getId());
    }

    @OnMessage
    public void onText(Session session, String part, boolean last) {
        receive(session, text, part, last, connection::sendText);
    }

    @OnMessage
    public void onBinary(Session session, ByteBuffer part, boolean last) {
        receive(session, binary, part, last, connection::sendBinary);
    }

    /** The answer to the Heartbeat's ping: the peer is still there. */
    @OnMessage
    public void onPong(PongMessage pong) {
        connection.heard();
    }

    private <T> void receive(Session session, MessageAssembler<T> assembler, T part, boolean last,
                             Predicate<T> send) {
        connection.heard();
        try {
            Message<T> message = assembler.add(part, last);
            if (message != null) {
                stats.received(message.bytes());
                if (send.test(message.payload())) {
                    stats.sent(message.bytes());
                }
            }
        } catch (TooBigException e) {
            refuse(session, e);
        }
    }

    @OnClose
    public void onClose(Session session, CloseReason reason) {
        registry.remove(session);
        LOG.log(Level.DEBUG, "Session {0} closed: {1}", session.getId(), reason);
    }

    @OnError
    public void onError(Session session, Throwable error) {
        registry.remove(session);
        if (error instanceof IOException) {
            LOG.log(Level.DEBUG, "Session {0} lost its connection: {1}", session.getId(), String.valueOf(error));
            return;
        }
        // Most failures here are the peer's (broken frames, invalid UTF-8) and the container has closed the
        // connection with the code that names them already: one line, not a stack trace, per failure.
        LOG.log(Level.INFO, "Session {0} failed: {1}", session.getId(), String.valueOf(error));
        LOG.log(Level.DEBUG, "Session " + session.getId() + " failed", error);
        if (connection != null) {
            connection.close(new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "Internal server error"));
        }
    }

    /** For a handshake refused after the container upgraded the connection: the close code that names the refusal. */
    private static CloseReason closeReason(Verdict refused) {
        return switch (refused.refusal()) {
            case UNSUPPORTED_VERSION -> new CloseReason(CloseCodes.PROTOCOL_ERROR, refused.reason());
            case FOREIGN_ORIGIN -> new CloseReason(CloseCodes.VIOLATED_POLICY, refused.reason());
            case OVER_CAP -> new CloseReason(CloseCodes.TRY_AGAIN_LATER, "Try again later: too many connections");
        };
    }

    private void refuse(Session session, TooBigException tooBig) {
        LOG.log(Level.DEBUG, "Session {0}: {1}", session.getId(), tooBig.getMessage());
        connection.close(new CloseReason(CloseCodes.TOO_BIG, tooBig.getMessage()));
    }
}
