package dev.websocketecho.handshake;

import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.limits.Admission;
import dev.websocketecho.topics.TopicName;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * What a WebSocket handshake must pass, judged in this order: the protocol version (RFC 6455's 13 only), the topic's
 * name for {@code /topics/{topic}} ({@link TopicName}), the origin (the {@link dev.websocketecho.origin.OriginPolicy}),
 * then the connection caps. The first rule broken decides; the caps
 * come last so that a handshake refused for another reason never takes a place under them.
 * <p>
 * {@link HandshakeFilter} applies them before the container upgrades the connection, and so can answer with an HTTP
 * status. Containers that upgrade before any application filter runs (Jetty) leave them to the endpoint's configurator,
 * which closes a refused connection as soon as it opens.
 */
public final class HandshakeRules {

    public static final String SUPPORTED_VERSION = "13";

    private static final Logger LOG = System.getLogger(HandshakeRules.class.getName());

    /** Why a handshake was refused. */
    public enum Refusal {
        UNSUPPORTED_VERSION, INVALID_TOPIC, FOREIGN_ORIGIN, OVER_CAP
    }

    /**
     * The outcome: a connection counted under the caps, or a refusal with the reason for the client.
     *
     * @param admission {@code null} when refused
     * @param refusal   {@code null} when admitted
     */
    public record Verdict(Admission admission, Refusal refusal, String reason) {

        public static Verdict admitted(Admission admission) {
            return new Verdict(admission, null, null);
        }

        static Verdict refused(Refusal refusal, String reason) {
            return new Verdict(null, refusal, reason);
        }

        public boolean granted() {
            return refusal == null;
        }
    }

    private static final String TOPICS = "/topics/";

    private final EchoApplication application;

    public HandshakeRules(EchoApplication application) {
        this.application = application;
    }

    /**
     * The topic that a handshake's path names, as it stands in the path (still URL-encoded), or {@code null} for a path
     * that is not a topic's.
     */
    public static String topicOf(String rawPath) {
        int topics = rawPath.lastIndexOf(TOPICS);
        return topics < 0 ? null : rawPath.substring(topics + TOPICS.length());
    }

    /**
     * @param version the {@code Sec-WebSocket-Version} header, or {@code null} when there is none
     * @param topic   the topic named by the path, still URL-encoded, or {@code null} for {@code /echo}
     * @param origins the values of the {@code Origin} headers, empty when there are none
     * @param host    the {@code Host} header, or {@code null} when there is none
     * @param address the peer's IP address, or {@code null} when the container does not tell it: then only the total
     *                cap applies
     */
    public Verdict judge(String version, String topic, List<String> origins, String host, String address) {
        if (version == null || !SUPPORTED_VERSION.equals(version.trim())) {
            LOG.log(Level.DEBUG, "Refused a handshake for WebSocket version {0} from {1}", version, address);
            return Verdict.refused(Refusal.UNSUPPORTED_VERSION,
                    "This server speaks WebSocket version " + SUPPORTED_VERSION + " only");
        }
        // Valid names are the same encoded and decoded, so the name is judged as it stands in the path.
        if (topic != null && !TopicName.isValid(topic)) {
            LOG.log(Level.DEBUG, "Refused a handshake for topic {0} from {1}", topic, address);
            return Verdict.refused(Refusal.INVALID_TOPIC, "Invalid topic name: " + TopicName.RULE);
        }
        if (!application.originPolicy().allowsHandshake(origins, host)) {
            LOG.log(Level.INFO, "Refused a handshake from origin {0} to host {1} (remote {2})", origins, host,
                    address);
            return Verdict.refused(Refusal.FOREIGN_ORIGIN, "Origin not allowed");
        }
        Admission admission = application.limits().admit(address);
        if (!admission.granted()) {
            LOG.log(Level.INFO, "Refused a handshake from {0}: {1}", address, admission.refusal());
            application.stats().refusedConnection();
            return Verdict.refused(Refusal.OVER_CAP, admission.refusal());
        }
        return Verdict.admitted(admission);
    }
}
