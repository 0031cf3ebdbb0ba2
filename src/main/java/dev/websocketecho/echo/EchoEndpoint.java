package dev.websocketecho.echo;

import dev.websocketecho.app.CurrentApplication;
import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.handshake.SessionLifecycle;
import dev.websocketecho.message.Message;
import dev.websocketecho.message.MessageAssembler;
import dev.websocketecho.message.MessageAssembler.TooBigException;
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

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
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
        this.registry = application.registry();
        this.stats = application.stats();
        this.text = MessageAssembler.text(application.settings().maxMessageBytes());
        this.binary = MessageAssembler.binary(application.settings().maxMessageBytes());
    }

    @OnOpen
    public void onOpen(Session session, EndpointConfig config) {
        connection = SessionLifecycle.open(session, config, application);
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
        SessionLifecycle.failed(session, error, connection, application);
    }

    private void refuse(Session session, TooBigException tooBig) {
        LOG.log(Level.DEBUG, "Session {0}: {1}", session.getId(), tooBig.getMessage());
        connection.close(new CloseReason(CloseCodes.TOO_BIG, tooBig.getMessage()));
    }
}
