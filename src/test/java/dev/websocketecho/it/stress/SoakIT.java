package dev.websocketecho.it.stress;

import dev.websocketecho.it.DeployedWar;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing lost: 200 connections each send 5,000 messages, text and binary, of 1 byte to 64 KiB (most small, some
 * large), up to 8 in flight per connection. Each message carries its connection id, its sequence number and a CRC-32 of
 * its body; each echo must be the message sent, byte for byte, exactly once and in order. Zero tolerance.
 */
class SoakIT extends DeployedWar {

    private static final int CONNECTIONS = 200;
    private static final int MESSAGES = 5_000;
    private static final int IN_FLIGHT = 8;
    private static final Duration BOUND = Duration.ofMinutes(4);
    private static final String TEXT = "abcdefghijklmnopqrstuvwxyz0123456789 éü☃你好";

    @Test
    void everyEchoComesBackByteExactExactlyOnceAndInOrder() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        CountDownLatch done = new CountDownLatch(CONNECTIONS);
        AtomicReference<String> firstProblem = new AtomicReference<>();
        List<Sequenced> connections = new ArrayList<>();
        long started = System.nanoTime();
        for (int id = 0; id < CONNECTIONS; id++) {
            connections.add(new Sequenced(id, http, done, firstProblem));
        }
        connections.forEach(Sequenced::start);
        boolean finished = done.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        connections.forEach(Sequenced::close);

        assertEquals(null, firstProblem.get());
        assertTrue(finished, "not every echo came back within " + BOUND + ": "
                + connections.stream().mapToInt(c -> c.received.get()).sum() + " of " + CONNECTIONS * MESSAGES);
        System.out.printf("Soak: %d connections x %d messages echoed exactly in %d s%n", CONNECTIONS, MESSAGES,
                took.toSeconds());
        assertEventually(0L, () -> stat("openSessions"), Duration.ofSeconds(30), "open sessions after the soak");
    }

    /** One connection: what it sent and has not had back yet, in order. */
    private final class Sequenced implements WebSocket.Listener {
        private final int id;
        private final SplittableRandom random;
        private final CountDownLatch done;
        private final AtomicReference<String> problem;
        private final Queue<Object> unanswered = new ConcurrentLinkedQueue<>();
        private final AtomicInteger received = new AtomicInteger();
        private final WebSocket socket;
        private int sent;
        private CompletableFuture<WebSocket> sending;
        private StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        Sequenced(int id, HttpClient http, CountDownLatch done, AtomicReference<String> problem) {
            this.id = id;
            this.random = new SplittableRandom(id);
            this.done = done;
            this.problem = problem;
            this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(echoUri(), this).orTimeout(30, TimeUnit.SECONDS).join();
            this.sending = CompletableFuture.completedFuture(socket);
        }

        void start() {
            synchronized (this) {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    sendNext();
                }
            }
        }

        /** Sends are chained: the JDK's client takes one message at a time. */
        private void sendNext() {
            if (sent == MESSAGES) {
                return;
            }
            Object message = message(sent++);
            unanswered.add(message);
            sending = sending.thenCompose(ws -> message instanceof String s ? ws.sendText(s, true)
                    : ws.sendBinary(((ByteBuffer) message).duplicate(), true));
            sending.exceptionally(failure -> {
                fail("send failed: " + failure);
                return null;
            });
        }

        private Object message(int sequence) {
            int size = size();
            CRC32 crc = new CRC32();
            if (random.nextBoolean()) {
                StringBuilder body = new StringBuilder(size);
                while (body.length() < size) {
                    body.append(random.nextInt(50) == 0 ? "😀" : TEXT.charAt(random.nextInt(TEXT.length())));
                }
                crc.update(body.toString().getBytes(StandardCharsets.UTF_8));
                return "c=" + id + " s=" + sequence + " k=" + crc.getValue() + "|" + body;
            }
            byte[] body = new byte[size];
            for (int i = 0; i < size; i++) {
                body[i] = (byte) random.nextInt(256);
            }
            crc.update(body);
            return ByteBuffer.allocate(16 + size).putInt(id).putInt(sequence).putLong(crc.getValue()).put(body).flip();
        }

        /** Mostly small, some medium, a few large: 1 byte to 64 KiB. */
        private int size() {
            int band = random.nextInt(100);
            int low = band < 80 ? 1 : band < 95 ? 256 : 8192;
            int high = band < 80 ? 256 : band < 95 ? 8192 : 65536;
            return (int) Math.round(low * Math.pow((double) high / low, random.nextDouble()));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence part, boolean last) {
            text.append(part);
            if (last) {
                received(text.toString());
                text = new StringBuilder();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer part, boolean last) {
            binary = ByteBuffer.allocate(binary.remaining() + part.remaining()).put(binary).put(part).flip();
            if (last) {
                received(binary);
                binary = ByteBuffer.allocate(0);
            }
            webSocket.request(1);
            return null;
        }

        private void received(Object echo) {
            Object expected = unanswered.poll();
            if (!echo.equals(expected)) {
                fail("echo " + received.get() + " differs from the message sent: " + describe(echo) + " for "
                        + describe(expected));
                return;
            }
            if (!checksumHolds(echo)) {
                fail("echo " + received.get() + " fails its own checksum: " + describe(echo));
                return;
            }
            if (received.incrementAndGet() == MESSAGES) {
                done.countDown();
                return;
            }
            synchronized (this) {
                sendNext();
            }
        }

        private boolean checksumHolds(Object echo) {
            CRC32 crc = new CRC32();
            if (echo instanceof String s) {
                int bar = s.indexOf('|');
                String[] header = s.substring(0, bar).split(" ");
                crc.update(s.substring(bar + 1).getBytes(StandardCharsets.UTF_8));
                return header[0].equals("c=" + id) && header[1].equals("s=" + received.get())
                        && header[2].equals("k=" + crc.getValue());
            }
            ByteBuffer bytes = ((ByteBuffer) echo).duplicate();
            int connection = bytes.getInt();
            int sequence = bytes.getInt();
            long checksum = bytes.getLong();
            crc.update(bytes);
            return connection == id && sequence == received.get() && checksum == crc.getValue();
        }

        private String describe(Object message) {
            if (message instanceof String s) {
                return "text of " + s.length() + " characters starting " + s.substring(0, Math.min(40, s.length()));
            }
            return message == null ? "nothing" : "binary of " + ((ByteBuffer) message).remaining() + " bytes";
        }

        private void fail(String what) {
            problem.compareAndSet(null, "connection " + id + ": " + what);
            done.countDown();
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            socket.abort();
        }
    }
}
