package dev.websocketecho.app;

import dev.websocketecho.cluster.Cluster;
import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.limits.ConnectionLimits;
import dev.websocketecho.message.Message;
import dev.websocketecho.origin.OriginPolicy;
import dev.websocketecho.session.Heartbeat;
import dev.websocketecho.session.SessionRegistry;
import dev.websocketecho.session.Workers;
import dev.websocketecho.session.SendWatchdog;
import dev.websocketecho.stats.EchoStats;
import dev.websocketecho.topics.TopicName;
import dev.websocketecho.topics.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything one deployment of the application shares between its connections: its settings, its sessions, its topics,
 * its counters, its connection caps and origin policy, the threads that look after its sessions and, in a cluster, the
 * other instances. It is made when the WAR is deployed ({@link Deployment}), or by a test with the settings it needs,
 * and closed when it is undeployed.
 */
public final class EchoApplication implements AutoCloseable {

    private final EchoSettings settings;
    private final EchoStats stats = new EchoStats();
    private final SessionRegistry registry;
    private final ConnectionLimits limits;
    private final OriginPolicy originPolicy;
    private final Topics topics;
    private final Workers workers = new Workers();
    private volatile Optional<Cluster> cluster = Optional.empty();
    private volatile boolean stopping;

    private EchoApplication(EchoSettings settings) {
        this.settings = settings;
        this.registry = new SessionRegistry(settings.sendTimeout(), stats, workers);
        this.limits = ConnectionLimits.of(settings);
        this.originPolicy = OriginPolicy.of(settings);
        this.topics = new Topics(stats, workers, settings.maxQueuedBytes(), settings.sendTimeout());
    }

    /**
     * @param pingNewSessions whether each new session is pinged as it opens and closed when it does not answer: for
     *                        Tyrus, which loses the close of a peer that leaves during the handshake
     */
    public static EchoApplication start(EchoSettings settings, boolean pingNewSessions) {
        EchoApplication application = new EchoApplication(settings);
        Heartbeat.start(settings, pingNewSessions, application.registry, application.workers);
        SendWatchdog.start(settings.sendTimeout(), settings.maxStalledSends(), application.registry,
                application.workers);
        application.workers.repeat("Publishing the stats", application::publishStats, Duration.ofSeconds(1));
        return application;
    }

    /** From now on, topics reach the subscribers of every member of the cluster, and the counters are shared. */
    public void joinCluster(Cluster cluster) {
        this.cluster = Optional.of(cluster);
        topics.relayThrough(cluster);
    }

    /**
     * Publishes the counters to the {@code _stats} topic, for the page's live figures, while it has subscribers, and
     * shares them with the other members of the cluster.
     */
    private void publishStats() {
        Map<String, Long> counters = counters();
        cluster.ifPresent(members -> members.share(counters));
        if (topics.hasSubscribers(TopicName.STATS)) {
            String json = json(counters);
            topics.publish(TopicName.STATS, new Message<>(json, json.getBytes(StandardCharsets.UTF_8).length));
        }
    }

    public EchoSettings settings() {
        return settings;
    }

    public EchoStats stats() {
        return stats;
    }

    public SessionRegistry registry() {
        return registry;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    public OriginPolicy originPolicy() {
        return originPolicy;
    }

    public Topics topics() {
        return topics;
    }

    /** The open and total sessions and the traffic counters, by the names {@code GET /api/stats} gives them. */
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("openSessions", (long) registry.openSessions());
        counters.put("totalSessions", registry.totalSessions());
        counters.put("messagesIn", stats.messagesIn());
        counters.put("messagesOut", stats.messagesOut());
        counters.put("bytesIn", stats.bytesIn());
        counters.put("bytesOut", stats.bytesOut());
        counters.put("refusedConnections", stats.refusedConnections());
        counters.put("idleTimeouts", stats.idleTimeouts());
        counters.put("sendTimeouts", stats.sendTimeouts());
        counters.put("topics", (long) topics.topics());
        counters.put("subscribers", topics.subscribers());
        counters.put("messagesPublished", stats.messagesPublished());
        counters.put("messagesDelivered", stats.messagesDelivered());
        counters.put("subscribersTooSlow", stats.subscribersTooSlow());
        return counters;
    }

    /**
     * The counters of every live member of the cluster, each as it shared them in the last second or so, summed, with
     * {@code members}, how many there are; this instance's alone, and 1, when it is in no cluster.
     */
    public Map<String, Long> clusterCounters() {
        List<Map<String, Long>> each = cluster.map(members -> members.memberCounters(settings.sendTimeout()))
                .orElseGet(() -> List.of(counters()));
        Map<String, Long> sum = new LinkedHashMap<>();
        sum.put("members", (long) each.size());
        each.forEach(member -> member.forEach((name, value) -> sum.merge(name, value, Long::sum)));
        return sum;
    }

    /** The counters as one JSON object. */
    public String countersJson() {
        return json(counters());
    }

    public static String json(Map<String, Long> counters) {
        return counters.entrySet().stream()
                .map(counter -> "\"" + counter.getKey() + "\":" + counter.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** Whether the application serves: from its start until it is being undeployed. */
    public boolean accepting() {
        return !stopping;
    }

    /**
     * Leaves the cluster and stops the threads that look after the sessions; the container closes the sessions
     * themselves.
     */
    @Override
    public void close() {
        stopping = true;
        cluster.ifPresent(Cluster::close);
        workers.close();
    }
}
