package dev.websocketecho.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.websocketecho.message.Message;
import dev.websocketecho.testing.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two members of a real Hazelcast grid in this JVM, on loopback, as Payara runs it. */
class HazelcastClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The default limit: the grid's ring buffer holds 256 messages; every member must size it alike. */
    private static final long MAX_MESSAGE_BYTES = 1024 * 1024;

    private static HazelcastInstance first;
    private static HazelcastInstance second;

    @BeforeAll
    static void startGrid() {
        String name = "websocket-echo-test-" + UUID.randomUUID();
        first = Hazelcast.newHazelcastInstance(config(name));
        second = Hazelcast.newHazelcastInstance(config(name));
        Eventually.assertEventually(2, () -> first.getCluster().getMembers().size(), TIMEOUT, "members");
    }

    private static Config config(String clusterName) {
        Config config = new Config().setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).setPortCount(100);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
        return config;
    }

    @AfterAll
    static void stopGrid() {
        second.shutdown();
        first.shutdown();
    }

    @Test
    void everyMemberDeliversEveryMessageOnceInTheOrderPublished() throws Exception {
        BlockingQueue<Object> onFirst = new LinkedBlockingQueue<>();
        BlockingQueue<Object> onSecond = new LinkedBlockingQueue<>();
        try (Cluster publishing = new HazelcastCluster(first, MAX_MESSAGE_BYTES, (topic, message) -> onFirst.add(topic + ":"
                + text(message)));
             Cluster other = new HazelcastCluster(second, MAX_MESSAGE_BYTES, (topic, message) -> onSecond.add(topic + ":"
                     + text(message)))) {
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // Each message through the other member than the one before: one order for all all the same.
                Cluster through = i % 2 == 0 ? publishing : other;
                assertTrue(through.publish("news", new Message<>("message " + i, 10), TIMEOUT));
                expected.add("news:message " + i);
            }
            ByteBuffer binary = ByteBuffer.wrap(new byte[] {0, (byte) 0x80, (byte) 0xff});
            assertTrue(publishing.publish("bytes", new Message<>(binary, 3), TIMEOUT));
            expected.add("bytes:[0, -128, -1]");
            for (BlockingQueue<Object> member : List.of(onFirst, onSecond)) {
                List<Object> received = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    received.add(member.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                }
                assertEquals(expected, received);
            }
            // A last message, and nothing before it: no message came twice.
            assertTrue(other.publish("news", new Message<>("last", 4), TIMEOUT));
            assertEquals("news:last", onFirst.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals("news:last", onSecond.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void theRingBufferHoldsAtMostAQuarterGibibyteOfTheLargestMessages() {
        assertEquals(10_000, HazelcastCluster.capacity(1024));
        assertEquals(256, HazelcastCluster.capacity(1024 * 1024));
        assertEquals(16, HazelcastCluster.capacity(64 * 1024 * 1024));
        try (Cluster sized = new HazelcastCluster(first, MAX_MESSAGE_BYTES, (topic, message) -> { })) {
            sized.publish("sized", new Message<>("x", 1), TIMEOUT);
            // The ring buffer that keeps a reliable topic's messages: the topic's name with Hazelcast's prefix.
            assertEquals(256, first.getRingbuffer("_hz_rb_" + HazelcastCluster.TOPIC).capacity());
        }
    }

    @Test
    void theCountersOfEveryMemberAreShared() {
        try (Cluster one = new HazelcastCluster(first, MAX_MESSAGE_BYTES, (topic, message) -> { });
             Cluster two = new HazelcastCluster(second, MAX_MESSAGE_BYTES, (topic, message) -> { })) {
            one.share(Map.of("messagesIn", 3L));
            two.share(Map.of("messagesIn", 4L));
            Eventually.assertEventually(7L, () -> one.memberCounters(TIMEOUT).stream()
                    .mapToLong(counters -> counters.getOrDefault("messagesIn", 0L)).sum(), TIMEOUT,
                    "the counters of both members");
            two.close();
            Eventually.assertEventually(1, () -> one.memberCounters(TIMEOUT).size(), TIMEOUT,
                    "members with counters once one left");
            assertNull(second.getMap(HazelcastCluster.MEMBERS).get(second.getCluster().getLocalMember().getUuid()
                    .toString()));
        }
    }

    private static String text(Message<?> message) {
        if (message.payload() instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return Arrays.toString(copy);
        }
        return (String) message.payload();
    }
}
