package dev.websocketecho.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topics as their subscribers see them: the same checks on Tyrus embedded in the unit tests and on every container.
 * Each check waits until the server holds no session and no topic, and leaves none behind.
 */
public final class TopicChecks {

    private static final Duration CLEANUP = Duration.ofSeconds(30);

    private TopicChecks() {
    }

    /** A name no other check uses. */
    public static String freshTopic() {
        return "t-" + UUID.randomUUID();
    }

    public static void awaitNothingLeft(ServerUnderTest server) {
        assertEventually(0L, () -> server.stat("openSessions"), CLEANUP, "open sessions");
        assertEventually(0L, () -> server.stat("subscribers"), CLEANUP, "subscribers");
        assertEventually(0L, () -> server.stat("topics"), CLEANUP, "topics");
    }

    public static void awaitSubscribers(ServerUnderTest server, long count) {
        assertEventually(count, () -> server.stat("subscribers"), CLEANUP, "subscribers");
    }

    private static List<EchoClient> subscribe(ServerUnderTest server, String topic, int count) {
        long before = server.stat("subscribers");
        List<EchoClient> subscribers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            subscribers.add(EchoClient.connect(server.topicUri(topic)));
        }
        assertEventually(before + count, () -> server.stat("subscribers"), CLEANUP, "subscribers of " + topic);
        return subscribers;
    }

    /** Every subscriber, the publishing one included, receives text as the same text and binary as the same bytes. */
    public static void deliversToEverySubscriberUnchanged(ServerUnderTest server) throws Exception {
        String topic = freshTopic();
        List<EchoClient> subscribers = subscribe(server, topic, 20);
        try {
            ByteBuffer bytes = Payloads.randomBytes(60_000, 7);
            long published = server.stat("messagesPublished");
            subscribers.get(0).sendText(Payloads.UNICODE);
            subscribers.get(0).sendBinary(bytes.duplicate());
            for (EchoClient subscriber : subscribers) {
                assertEquals(Payloads.UNICODE, subscriber.nextText());
                assertEquals(bytes, subscriber.nextBinary());
            }
            assertEquals(published + 2, server.stat("messagesPublished"));
        } finally {
            subscribers.forEach(EchoClient::close);
        }
        awaitNothingLeft(server);
    }

    /** A message reaches the subscribers of its topic only. */
    public static void keepsTopicsApart(ServerUnderTest server) throws Exception {
        String first = freshTopic();
        String second = freshTopic();
        List<EchoClient> ofFirst = subscribe(server, first, 2);
        List<EchoClient> ofSecond = subscribe(server, second, 2);
        try {
            ofFirst.get(0).sendText("for the first topic");
            ofSecond.get(0).sendText("for the second topic");
            for (EchoClient subscriber : ofFirst) {
                assertEquals("for the first topic", subscriber.nextText());
            }
            for (EchoClient subscriber : ofSecond) {
                assertEquals("for the second topic", subscriber.nextText(), "the first topic's message leaked");
            }
            assertEquals(2L, server.stat("topics"));
        } finally {
            ofFirst.forEach(EchoClient::close);
            ofSecond.forEach(EchoClient::close);
        }
        awaitNothingLeft(server);
    }

    /**
     * Messages one at a time first, each published once every subscriber has the one before, so that it finds nothing
     * queued or on its way to anyone; then publishers at once: each of {@code listeners} subscribers that do not
     * publish receives every message exactly once, each publisher's in its order.
     */
    public static void keepsEachPublishersOrder(ServerUnderTest server, int listeners) throws Exception {
        String topic = freshTopic();
        int publishers = 4;
        int messages = 200;
        List<EchoClient> subscribers = subscribe(server, topic, listeners);
        List<EchoClient> senders = subscribe(server, topic, publishers);
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        try {
            for (int alone = 0; alone < 3; alone++) {
                senders.get(0).sendText("alone " + alone);
                for (EchoClient subscriber : subscribers) {
                    assertEquals("alone " + alone, subscriber.nextText());
                }
            }
            List<Future<?>> sent = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                EchoClient sender = senders.get(p);
                int publisher = p;
                sent.add(pool.submit(() -> {
                    for (int m = 0; m < messages; m++) {
                        sender.sendText(publisher + ":" + m);
                    }
                }));
            }
            for (Future<?> done : sent) {
                done.get(60, TimeUnit.SECONDS);
            }
            for (EchoClient subscriber : subscribers) {
                Map<Integer, Integer> next = new HashMap<>();
                for (int i = 0; i < publishers * messages; i++) {
                    String[] message = subscriber.nextText().split(":");
                    int publisher = Integer.parseInt(message[0]);
                    int expected = next.getOrDefault(publisher, 0);
                    assertEquals(expected, Integer.parseInt(message[1]), "publisher " + publisher + "'s order");
                    next.put(publisher, expected + 1);
                }
                assertTrue(subscriber.staysOpenFor(Duration.ofMillis(200)));
            }
        } finally {
            pool.shutdownNow();
            subscribers.forEach(EchoClient::close);
            senders.forEach(EchoClient::close);
        }
        awaitNothingLeft(server);
    }

    /**
     * A subscriber that reads nothing while {@code totalBytes} are published in messages of 64 KiB: it is closed as too
     * slow once its queue is full, and a subscriber that reads receives every message meanwhile. The publisher waits
     * for the reading subscriber every 16 messages, so that the reading one is never too slow itself.
     */
    public static void closesASubscriberThatDoesNotReadAsTooSlow(ServerUnderTest server, long totalBytes)
            throws Exception {
        String topic = freshTopic();
        long tooSlow = server.stat("subscribersTooSlow");
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        try (RawWebSocket stalled = RawWebSocket.open(socket, server.echoUri().getPort(),
                server.topicUri(topic).getPath())) {
            if (server.container().has(Deviation.CLOSE_LOST_DURING_HANDSHAKE)) {
                // Answers the ping sent as it opens, or it would be closed for that instead.
                RawWebSocket.Frame ping = stalled.read();
                assertEquals(RawWebSocket.PING, ping.opcode());
                stalled.send(RawWebSocket.PONG, ping.payload());
            }
            // Counted before the reader subscribes, so that the reader's count is not taken for the stalled one's.
            awaitSubscribers(server, 1);
            List<EchoClient> readers = subscribe(server, topic, 1);
            EchoClient reader = readers.get(0);
            try (EchoClient publisher = EchoClient.connect(server.topicUri(topic))) {
                byte[] message = new byte[64 * 1024];
                long count = totalBytes / message.length;
                for (int i = 0; i < count; i++) {
                    ByteBuffer numbered = ByteBuffer.wrap(message.clone()).putInt(0, i);
                    publisher.sendBinary(numbered);
                    if (i % 16 == 15 || i == count - 1) {
                        for (int j = i - i % 16; j <= i; j++) {
                            assertEquals(j, reader.nextBinary().getInt(0), "the reading subscriber's messages");
                            assertEquals(j, publisher.nextBinary().getInt(0), "the publisher's own messages");
                        }
                    }
                }
                assertEventually(tooSlow + 1, () -> server.stat("subscribersTooSlow"), CLEANUP,
                        "subscribers closed as too slow");
                assertTrue(reader.staysOpenFor(Duration.ofMillis(200)), "the reading subscriber is still there");
            } finally {
                reader.close();
            }
        }
        awaitNothingLeft(server);
    }

    /** Subscribers that drop their connections without a close frame are removed, and so is their topic. */
    public static void removesSubscribersThatVanish(ServerUnderTest server) {
        String topic = freshTopic();
        List<EchoClient> subscribers = subscribe(server, topic, 10);
        subscribers.forEach(EchoClient::abort);
        awaitNothingLeft(server);
    }

    /** The server publishes its counters to {@code _stats} once a second; nobody else may publish there. */
    public static void publishesItsStatsOnceASecond(ServerUnderTest server) throws Exception {
        try (EchoClient stats = EchoClient.connect(server.topicUri("_stats"))) {
            String first = stats.nextText();
            assertTrue(first.startsWith("{\"openSessions\":") && first.contains("\"subscribers\":1"), first);
            long started = System.nanoTime();
            stats.nextText();
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(2500)) < 0,
                    "the next stats within about a second");
            stats.sendText("not allowed");
            assertEquals(new EchoClient.Closed(1008, "Topic _stats is read-only"), stats.awaitClose());
        }
        awaitNothingLeft(server);
    }

    /** A name outside {@code A-Z a-z 0-9 . _ ~ -}, or longer than 64, is refused with the handshake. */
    public static void refusesAnInvalidTopicName(ServerUnderTest server) throws IOException {
        for (String invalid : new String[] {"a%20b", "x".repeat(65), "caf%C3%A9", "a!b"}) {
            if (server.container().has(Deviation.UPGRADE_BEFORE_FILTERS)) {
                try (EchoClient client = EchoClient.connect(server.topicUri(invalid))) {
                    assertEquals(1008, client.awaitClose().code(), invalid);
                }
                continue;
            }
            var refused = assertThrows(CompletionException.class, () -> EchoClient.connect(server.topicUri(invalid)),
                    invalid);
            assertEquals(400, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                    .getResponse().statusCode(), invalid);
        }
        awaitNothingLeft(server);
    }
}
