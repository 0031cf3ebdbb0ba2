package dev.websocketecho.it;

import dev.websocketecho.testing.Deviation;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one peer can make the server hold is bounded by the message limit: peers that each announce a single frame of
 * 16 times the limit and send only a little more than the limit of it are refused without the server waiting for
 * the rest. A server that read such a frame whole before judging it would wait for bytes that never come; a server
 * that bounds it closes the connection once the limit is crossed. Open Liberty is such a server (a deviation).
 */
class OversizeFrameIT extends DeployedWar {

    private static final int PEERS = 20;
    /** More than the limit by Tyrus' read margin (1 MiB and 64 KiB) and some: see {@code FrameBufferSizing}. */
    private static final int BEYOND_THE_LIMIT = 2 * 1024 * 1024;
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(2);
    /**
     * Where the container reads frames whole, the 20 peers' 320 MiB are all on their way at once, and the container
     * still has the rest of them to read after a peer's last byte is out.
     */
    private static final Duration CLOSED_WITHIN_READING_WHOLE_FRAMES = Duration.ofSeconds(10);

    private final List<RawWebSocket> peers = new ArrayList<>();
    private final ExecutorService senders = Executors.newFixedThreadPool(PEERS);

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        awaitNoOpenSessions();
    }

    @AfterEach
    void closePeers() throws IOException {
        senders.shutdownNow();
        for (RawWebSocket peer : peers) {
            peer.close();
        }
    }

    private record Refusal(RawWebSocket.Frame close, Duration afterTheLastByte) {
    }

    @Test
    void aFrameFarOverTheLimitIsRefusedOnceTheLimitIsCrossed() throws Exception {
        long limit = settings().maxMessageBytes();
        List<Future<Refusal>> refusals = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            RawWebSocket peer = RawWebSocket.open(echoUri().getPort(), echoUri().getPath()).answeringPings();
            peers.add(peer);
            refusals.add(senders.submit(() -> sendPartOfAHugeFrame(peer, limit, readsWholeFrames(), closedWithin())));
        }
        for (Future<Refusal> refused : refusals) {
            Refusal refusal = refused.get(60, TimeUnit.SECONDS);
            assertNotNull(refusal.close(), "no close within " + closedWithin() + " of the last byte sent");
            if (container().has(Deviation.HUGE_FRAME_IS_A_BUFFER_OVERFLOW)) {
                // Deviation, Tyrus: it reads a frame whole before the application sees any of it, and answers a frame
                // larger than its buffer (sized from the limit) with its own code.
                assertEquals(1011, refusal.close().closeCode());
                assertEquals("Buffer overflow.", refusal.close().text().substring(2));
            } else {
                assertEquals(1009, refusal.close().closeCode());
                assertEquals("Message too big: the limit is " + limit + " bytes", refusal.close().text().substring(2));
            }
            assertTrue(refusal.afterTheLastByte().compareTo(closedWithin()) <= 0,
                    "closed " + refusal.afterTheLastByte() + " after the last byte");
        }
        assertEventually(0L, () -> stat("openSessions"), Duration.ofSeconds(10), "open sessions after the refusals");
        try (EchoClient client = EchoClient.connect(echoUri())) {
            client.sendText("still serving");
            assertEquals("still serving", client.nextText());
        }
    }

    /**
     * Deviation, Open Liberty: it reads a frame whole before the application sees any of it and has no bound of its own
     * that the application can set, so a peer must send the whole frame to be refused (README, deviations).
     */
    private Duration closedWithin() {
        return readsWholeFrames() ? CLOSED_WITHIN_READING_WHOLE_FRAMES : CLOSED_WITHIN;
    }

    private boolean readsWholeFrames() {
        return container().has(Deviation.FRAMES_READ_WHOLE_WITHOUT_BOUND);
    }

    /**
     * Announces a binary frame of 16 times the limit and sends the limit plus {@link #BEYOND_THE_LIMIT} of it, or all
     * of it where the container reads frames whole.
     */
    private static Refusal sendPartOfAHugeFrame(RawWebSocket peer, long limit, boolean wholeFrame,
                                                Duration closedWithin) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long toSend = wholeFrame ? 16 * limit : limit + BEYOND_THE_LIMIT;
        try {
            peer.startFrame(true, 0, RawWebSocket.BINARY, 16 * limit);
            for (long sent = 0; sent < toSend; sent += chunk.length) {
                peer.sendPayload(chunk, 0, (int) Math.min(chunk.length, toSend - sent));
            }
        } catch (IOException closedMeanwhile) {
            // The server closed the connection before the client was done: what a bounded server does.
        }
        long lastByte = System.nanoTime();
        RawWebSocket.Frame close = peer.awaitClose(closedWithin);
        return new Refusal(close, Duration.ofNanos(System.nanoTime() - lastByte));
    }
}
