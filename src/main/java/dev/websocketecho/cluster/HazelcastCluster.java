package dev.websocketecho.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.ReliableMessageListener;
import dev.websocketecho.message.Message;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The cluster over the Hazelcast data grid that the container runs, as Payara Server and Payara Micro do.
 * <p>
 * Published messages go through one reliable topic: a ring buffer that the grid keeps on one member with a backup on
 * another, which every member reads in sequence. So every member sees every message once and all members see them
 * in one order; a member that dies takes nothing with it that the grid had taken, because its backup takes over. A
 * plain topic would not do: it sends each publisher's messages straight to each member, so two messages published
 * one after another through two members could reach a third in the other order.
 * <p>
 * The ring buffer keeps the last {@link #capacity} messages, without expiry: the members read them within
 * milliseconds, and what it holds stays bounded by that many messages of the largest size. A member that falls further
 * behind than that skips the messages it missed rather than stopping.
 * <p>
 * Each member shares its counters in a map, under its member id and for a few seconds only, so that a member that dies
 * leaves the sum soon even before the grid notices that it is gone.
 */
final class HazelcastCluster implements Cluster {

    static final String TOPIC = "websocket-echo.topics";
    static final String MEMBERS = "websocket-echo.members";
    /** What the ring buffer may hold at most, in bytes of messages of the largest size. */
    static final long RING_BYTES = 256L * 1024 * 1024;
    /** How long a member's shared counters count: a few of the application's one-second shares. */
    private static final Duration COUNTERS_TTL = Duration.ofSeconds(5);
    private static final Logger LOG = System.getLogger(HazelcastCluster.class.getName());

    private final HazelcastInstance grid;
    private final ITopic<byte[]> topic;
    private final IMap<String, String> members;
    private final String self;
    private final UUID listener;

    /**
     * @param maxMessageBytes the largest message, which sizes the ring buffer
     * @param deliver         delivers a message of the grid to this member's subscribers of its topic
     */
    HazelcastCluster(HazelcastInstance grid, long maxMessageBytes, BiConsumer<String, Message<?>> deliver) {
        this.grid = grid;
        sizeRingBuffer(grid, capacity(maxMessageBytes));
        this.topic = grid.getReliableTopic(TOPIC);
        this.members = grid.getMap(MEMBERS);
        this.self = grid.getCluster().getLocalMember().getUuid().toString();
        this.listener = topic.addMessageListener(new Relay(deliver));
    }

    /** {@link #RING_BYTES} of messages of the largest size, but at least 16 and at most Hazelcast's default 10,000. */
    static int capacity(long maxMessageBytes) {
        return (int) Math.max(16, Math.min(10_000, RING_BYTES / maxMessageBytes));
    }

    /** Before the topic is first used: the grid sizes a ring buffer when it makes it. */
    private static void sizeRingBuffer(HazelcastInstance grid, int capacity) {
        // A reliable topic's ring buffer takes the ring buffer configuration of the topic's own name.
        try {
            grid.getConfig().addRingBufferConfig(new RingbufferConfig(TOPIC).setCapacity(capacity));
        } catch (InvalidConfigurationException e) {
            LOG.log(Level.WARNING, "Another member sized the data grid''s ring buffer {0} otherwise (its instances"
                    + " have other settings); keeping its size: {1}", TOPIC, e.getMessage());
        }
    }

    @Override
    public boolean publish(String topicName, Message<?> message, Duration timeout) {
        try {
            topic.publishAsync(new Envelope(topicName, message).encode()).toCompletableFuture()
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "The data grid did not take a message to topic {0} within {1} ms", topicName,
                    timeout.toMillis());
        } catch (ExecutionException | RuntimeException e) {
            LOG.log(Level.WARNING, "The data grid refused a message to topic " + topicName, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void share(Map<String, Long> counters) {
        String encoded = counters.entrySet().stream().map(counter -> counter.getKey() + "=" + counter.getValue())
                .collect(Collectors.joining(","));
        members.putAsync(self, encoded, COUNTERS_TTL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Map<String, Long>> memberCounters(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<String>> shared = grid.getCluster().getMembers().stream()
                .map(member -> members.getAsync(member.getUuid().toString()).toCompletableFuture())
                .toList();
        List<Map<String, Long>> counters = new ArrayList<>();
        for (CompletableFuture<String> one : shared) {
            try {
                String encoded = one.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (encoded != null) {
                    counters.add(decode(encoded));
                }
            } catch (TimeoutException | ExecutionException e) {
                LOG.log(Level.DEBUG, "A member's counters did not come: {0}", String.valueOf(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return counters;
    }

    private static Map<String, Long> decode(String encoded) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String counter : encoded.split(",")) {
            int equals = counter.indexOf('=');
            counters.put(counter.substring(0, equals), Long.parseLong(counter.substring(equals + 1)));
        }
        return counters;
    }

    @Override
    public String describe() {
        return "cluster " + grid.getConfig().getClusterName() + " of the Hazelcast data grid, members "
                + grid.getCluster().getMembers().stream().map(Member::getAddress).map(String::valueOf)
                .collect(Collectors.joining(", ")) + ", this one " + grid.getCluster().getLocalMember().getAddress();
    }

    @Override
    public void close() {
        try {
            topic.removeMessageListener(listener);
            members.removeAsync(self);
        } catch (HazelcastInstanceNotActiveException e) {
            LOG.log(Level.DEBUG, "The data grid stopped first");
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Leaving the data grid: {0}", String.valueOf(e));
        }
    }

    /**
     * Hands each message of the grid to this member's subscribers, from the message after the last one the grid held
     * when it was added. Messages the ring buffer dropped before this member read them are skipped rather than ending
     * the listener.
     */
    private record Relay(BiConsumer<String, Message<?>> deliver) implements ReliableMessageListener<byte[]> {

        @Override
        public void onMessage(com.hazelcast.topic.Message<byte[]> published) {
            Envelope envelope = Envelope.decode(published.getMessageObject());
            deliver.accept(envelope.topic(), envelope.message());
        }

        @Override
        public long retrieveInitialSequence() {
            return -1;
        }

        @Override
        public void storeSequence(long sequence) {
        }

        @Override
        public boolean isLossTolerant() {
            return true;
        }

        @Override
        public boolean isTerminal(Throwable failure) {
            LOG.log(Level.WARNING, "Delivering a message of the data grid failed", failure);
            return false;
        }
    }
}
