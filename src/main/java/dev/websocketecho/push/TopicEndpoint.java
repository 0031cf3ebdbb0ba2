package dev.websocketecho.push;

import dev.websocketecho.app.CurrentApplication;
import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.handshake.SessionLifecycle;
import dev.websocketecho.message.Message;
import dev.websocketecho.message.MessageAssembler;
import dev.websocketecho.message.MessageAssembler.TooBigException;
import dev.websocketecho.session.Connection;
import dev.websocketecho.topics.TopicName;
import dev.websocketecho.topics.Topics.NotPublishedException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * A subscriber of one topic: it receives every message published to the topic, and what it sends is published to the
 * topic, itself included, unchanged (text as text, binary as the same bytes), within the message limit. The topic's
 * name is judged with the handshake ({@link dev.websocketecho.handshake.HandshakeRules}).
 * <p>
 * The container creates one instance per connection, through {@link TopicConfigurator}, and never calls it from two
 * threads at once.
 */
@ServerEndpoint(value = "/topics/{topic}", configurator = TopicConfigurator.class)
public class TopicEndpoint {

    private static final Logger LOG = System.getLogger(TopicEndpoint.class.getName());

    private final EchoApplication application;
    private final MessageAssembler<String> text;
    private final MessageAssembler<ByteBuffer> binary;
    private Connection connection;
    private String topic;

    /**
     * The specification requires an annotated endpoint to have a public no-argument constructor, and Open Liberty
     * refuses to deploy one without it; {@link TopicConfigurator} makes every instance with the other constructor.
     */
    public TopicEndpoint() {
        this(CurrentApplication.get());
    }

    TopicEndpoint(EchoApplication application) {
        this.application = application;
        this.text = MessageAssembler.text(application.settings().maxMessageBytes());
        this.binary = MessageAssembler.binary(application.settings().maxMessageBytes());
    }

    @OnOpen
    public void onOpen(Session session, EndpointConfig config, @PathParam("topic") String topic) {
        this.topic = topic;
        connection = SessionLifecycle.open(session, config, application);
        if (!connection.givenUp()) {
            application.topics().subscribe(topic, connection);
        }
    }

    @OnMessage
    public void onText(Session session, String part, boolean last) {
        receive(session, text, part, last);
    }

    @OnMessage
    public void onBinary(Session session, ByteBuffer part, boolean last) {
        receive(session, binary, part, last);
    }

    /** The answer to the Heartbeat's ping: the peer is still there. */
    @OnMessage
    public void onPong(PongMessage pong) {
        connection.heard();
    }

    private <T> void receive(Session session, MessageAssembler<T> assembler, T part, boolean last) {
        connection.heard();
        if (TopicName.isReadOnly(topic)) {
            connection.close(new CloseReason(CloseCodes.VIOLATED_POLICY, "Topic " + topic + " is read-only"));
            return;
        }
        try {
            Message<T> message = assembler.add(part, last);
            if (message != null) {
                application.topics().publish(topic, message);
            }
        } catch (NotPublishedException e) {
            connection.close(new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "Not published: " + e.getMessage()));
        } catch (TooBigException e) {
            LOG.log(Level.DEBUG, "Session {0}: {1}", session.getId(), e.getMessage());
            connection.close(new CloseReason(CloseCodes.TOO_BIG, e.getMessage()));
        }
    }

    @OnClose
    public void onClose(Session session, CloseReason reason) {
        application.registry().remove(session);
        LOG.log(Level.DEBUG, "Session {0} of topic {1} closed: {2}", session.getId(), topic, reason);
    }

    @OnError
    public void onError(Session session, Throwable error) {
        SessionLifecycle.failed(session, error, connection, application);
    }
}
