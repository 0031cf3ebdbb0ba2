package dev.websocketecho.it.custom;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.it.DeployedWar;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.RawWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More peers that stop reading than {@code echo.maxStalledSends} allows (the build sets 2 for this package): the
 * server closes the extra ones about a second after their writes stall, long before the send timeout, so that peers
 * that do not read can never hold more than that many of the container's threads; the rest are closed by the send
 * timeout as before, and a healthy client is served all along.
 */
class StalledSendsIT extends DeployedWar {

    private static final int MESSAGE_BYTES = 64 * 1024;
    /** Far more than the sockets' buffers on loopback hold, so that every peer's echoes stall. */
    private static final int MESSAGES_OFFERED = 256;

    private final EchoSettings settings = containerSettings();

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        awaitNoOpenSessions();
    }

    @Test
    void closesPeersThatStallBeyondTheBoundAtOnceAndTheOthersAfterTheSendTimeout() throws Exception {
        int bound = settings.maxStalledSends();
        int peers = bound + 2;
        long sendTimeouts = stat("sendTimeouts");
        List<RawWebSocket> slow = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        try (EchoClient healthy = EchoClient.connect(echoUri())) {
            long started = System.nanoTime();
            for (int i = 0; i < peers; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(16 * 1024);
                RawWebSocket peer = RawWebSocket.open(socket, echoUri().getPort(), echoUri().getPath());
                slow.add(peer);
                Thread writer = new Thread(() -> {
                    byte[] message = new byte[MESSAGE_BYTES];
                    try {
                        for (int m = 0; m < MESSAGES_OFFERED; m++) {
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
            long sendTimeoutDeadline = started + settings.sendTimeout().toNanos();
            while (stat("sendTimeouts") < sendTimeouts + peers - bound) {
                assertTrue(System.nanoTime() - sendTimeoutDeadline < 0, "the server did not close the " + (peers - bound)
                        + " peers beyond the bound of " + bound + " stalled sends before the send timeout of "
                        + settings.sendTimeout().toMillis() + " ms; it closed "
                        + (stat("sendTimeouts") - sendTimeouts));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertTrue(stat("sendTimeouts") < sendTimeouts + peers,
                    "the " + bound + " oldest stalls are left to the send timeout");
            for (int i = 0; i < 20; i++) {
                healthy.sendText("served while " + bound + " peers stall " + i);
                assertEquals("served while " + bound + " peers stall " + i, healthy.nextText());
            }

            assertEventually(sendTimeouts + peers, () -> stat("sendTimeouts"), settings.sendTimeout().plusSeconds(10),
                    "send timeouts: every stalled peer closed");
            for (RawWebSocket peer : slow) {
                peer.close();
            }
            for (Thread writer : writers) {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertEventually(1L, () -> stat("openSessions"), Duration.ofSeconds(10), "open sessions: the healthy one");
            healthy.sendText("still served");
            assertEquals("still served", healthy.nextText());
        } finally {
            for (RawWebSocket peer : slow) {
                peer.close();
            }
        }
    }
}
