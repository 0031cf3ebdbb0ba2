package dev.websocketecho.testing;

import dev.websocketecho.testing.RawWebSocket.Frame;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers that stop reading their echoes, and what the server must do about them: the same checks on Tyrus embedded in
 * the unit tests (short timeouts, in seconds) and on every container.
 */
public final class SlowPeers {

    private static final int MESSAGE_BYTES = 64 * 1024;
    /** Far more than the sockets' buffers on loopback hold, so that every stalling peer's echoes stall. */
    private static final int STALLING_MESSAGES_OFFERED = 256;
    private static final int MESSAGES_OFFERED = 2048;
    /** What the two sockets' kernel buffers on loopback, one 64 KiB message and the container's buffers may hold. */
    private static final long TAKEN_BOUND = 48L * 1024 * 1024;
    private static final Duration STALLED = Duration.ofMillis(500);

    private SlowPeers() {
    }

    /**
     * More peers that stop reading than {@code echo.maxStalledSends} allows: the server closes the extra ones about a
     * second after their writes stall, long before the send timeout, so that peers that do not read can never hold more
     * than that many of the container's threads; the rest are closed by the send timeout as before, and a healthy
     * client is served all along.
     */
    public static void closesPeersThatStallBeyondTheBoundAtOnceAndTheOthersAfterTheSendTimeout(ServerUnderTest server)
            throws Exception {
        int bound = server.settings().maxStalledSends();
        int peers = bound + 2;
        long sendTimeouts = server.stat("sendTimeouts");
        List<RawWebSocket> slow = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        try (EchoClient healthy = EchoClient.connect(server.echoUri())) {
            long started = System.nanoTime();
            for (int i = 0; i < peers; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(16 * 1024);
                RawWebSocket peer = RawWebSocket.open(socket, server.echoUri().getPort(), server.echoUri().getPath());
                slow.add(peer);
                Thread writer = new Thread(() -> {
                    byte[] message = new byte[MESSAGE_BYTES];
                    try {
                        for (int m = 0; m < STALLING_MESSAGES_OFFERED; m++) {
                            peer.send(RawWebSocket.BINARY, message);
                        }
                    } catch (IOException closedByTheServer) {
                        // Expected: the server gives up on this peer.
                    }
                }, "stalling-peer-" + i);
                writer.start();
                writers.add(writer);
            }

            // No write can have run into the send timeout before this deadline.
            long sendTimeoutDeadline = started + server.settings().sendTimeout().toNanos();
            while (server.stat("sendTimeouts") < sendTimeouts + peers - bound) {
                assertTrue(System.nanoTime() - sendTimeoutDeadline < 0, "the server did not close the " + (peers - bound)
                        + " peers beyond the bound of " + bound + " stalled sends before the send timeout of "
                        + server.settings().sendTimeout().toMillis() + " ms; it closed "
                        + (server.stat("sendTimeouts") - sendTimeouts));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertTrue(server.stat("sendTimeouts") < sendTimeouts + peers,
                    "the " + bound + " oldest stalls are left to the send timeout");
            for (int i = 0; i < 20; i++) {
                healthy.sendText("served while " + bound + " peers stall " + i);
                assertEquals("served while " + bound + " peers stall " + i, healthy.nextText());
            }

            assertEventually(sendTimeouts + peers, () -> server.stat("sendTimeouts"), server.settings().sendTimeout().plusSeconds(10),
                    "send timeouts: every stalled peer closed");
            for (RawWebSocket peer : slow) {
                peer.close();
            }
            for (Thread writer : writers) {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertEventually(1L, () -> server.stat("openSessions"), Duration.ofSeconds(10), "open sessions: the healthy one");
            healthy.sendText("still served");
            assertEquals("still served", healthy.nextText());
        } finally {
            for (RawWebSocket peer : slow) {
                peer.close();
            }
        }
    }

    /**
     * A peer that sends and sends but stops reading its echoes. The server must not buffer without end for it: it
     * writes one echo at a time and reads the peer's next message only when that echo is out, so what it holds for the
     * peer is bounded by one message plus the sockets' buffers; the peer is closed once an echo waits longer than the
     * send timeout; and a healthy client is served as fast as before all along.
     */
    public static void closesAPeerThatStopsReadingWithoutHoldingMoreForItAndServesOthersAsBefore(
            ServerUnderTest server) throws Exception {
        long sendTimeouts = server.stat("sendTimeouts");
        try (EchoClient healthy = EchoClient.connect(server.echoUri())) {
            Duration p99Before = p99RoundTrip(healthy);

            Socket socket = new Socket();
            socket.setReceiveBufferSize(16 * 1024);
            try (RawWebSocket slow = RawWebSocket.open(socket, server.echoUri().getPort(), server.echoUri().getPath())) {
                AtomicLong written = new AtomicLong();
                AtomicLong lastWrite = new AtomicLong(System.nanoTime());
                Thread writer = new Thread(() -> {
                    byte[] message = new byte[MESSAGE_BYTES];
                    try {
                        for (int i = 0; i < MESSAGES_OFFERED; i++) {
                            slow.send(RawWebSocket.BINARY, message);
                            written.addAndGet(MESSAGE_BYTES);
                            lastWrite.set(System.nanoTime());
                        }
                    } catch (IOException closedByTheServer) {
                        // Expected: the server gives up on this peer.
                    }
                }, "slow-peer-writer");
                writer.start();

                awaitStall(lastWrite, written);
                long taken = written.get();
                String held = "the server took " + taken + " bytes from a peer that reads nothing; it counts "
                        + server.stat("messagesIn") + " messages in and " + server.stat("messagesOut") + " out";
                if (server.container().has(Deviation.SLOW_READER_QUEUED_IN_MEMORY)) {
                    // Undertow reads on while the endpoint is busy and queues every frame for it in memory
                    // (io.undertow.websockets.jsr.FrameHandler hands each one to an unbounded ordered executor);
                    // nothing in the WebSocket API lets an application stop that. The README lists this deviation.
                    assertEquals((long) MESSAGE_BYTES * MESSAGES_OFFERED, taken, held);
                } else {
                    assertTrue(taken < TAKEN_BOUND, held);
                }

                Duration p99During = p99RoundTrip(healthy);
                assertEquals(sendTimeouts, server.stat("sendTimeouts"),
                        "the healthy client was measured while the slow peer was still held");
                assertTrue(p99During.compareTo(p99Before.multipliedBy(5).plusMillis(50)) <= 0,
                        "p99 round trip of a healthy client: " + p99Before + " before, " + p99During + " during");

                assertEventually(sendTimeouts + 1, () -> server.stat("sendTimeouts"),
                        server.settings().sendTimeout().plusSeconds(10), "send timeouts");
                assertClosedForTheSendTimeout(slow, server.settings().sendTimeout());
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertEventually(1L, () -> server.stat("openSessions"), Duration.ofSeconds(10), "open sessions: the healthy one");
            healthy.sendText("still served");
            assertEquals("still served", healthy.nextText());
        }
    }

    private static void awaitStall(AtomicLong lastWrite, AtomicLong written) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - lastWrite.get() < STALLED.toNanos()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("The server kept reading from a peer that reads nothing: "
                        + written.get() + " bytes taken");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * The server closes with 1008, but its close frame waits behind the echoes the peer never read; when the server
     * then closes its socket with the peer's unread messages in it, TCP resets the connection and the close frame is
     * lost with the echoes. So the peer sees either the close frame or the end of the connection, never silence.
     */
    private static void assertClosedForTheSendTimeout(RawWebSocket slow, Duration sendTimeout) {
        try {
            for (Frame frame = slow.read(); ; frame = slow.read()) {
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    assertEquals(1008, frame.closeCode());
                    assertEquals("Send timed out after " + sendTimeout.toMillis() + " ms",
                            frame.text().substring(2));
                    return;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("The server neither closed nor reset the connection of the slow peer", stillOpen);
        } catch (IOException ended) {
            // Reset or ended: see above.
        }
    }

    private static Duration p99RoundTrip(EchoClient client) throws InterruptedException {
        long[] nanos = new long[500];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            client.sendText("round trip " + i);
            assertEquals("round trip " + i, client.nextText());
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return Duration.ofNanos(nanos[(int) Math.ceil(nanos.length * 0.99) - 1]);
    }
}
