package dev.websocketecho.it.custom;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.testing.Deviation;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.RawWebSocket;
import dev.websocketecho.testing.RawWebSocket.Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Peers that vanish: the container runs with a short ping interval and idle timeout (set by the build for the tests of
 * this package). A peer gone without a FIN and a peer that keeps its socket but answers nothing look the same to the
 * server: nothing comes back, not even a pong. Such a peer must be closed and forgotten within the interval plus the
 * timeout; a quiet peer that answers pings must not.
 */
class HeartbeatIT extends WithCustomSettings {

    /** For the scheduler, a loaded machine and the round trips of the checks themselves. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private final EchoSettings settings = settings();

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        awaitNoOpenSessions();
    }

    @Test
    void closesAPeerThatAnswersNoPingWithinTheIntervalPlusTheIdleTimeout() throws Exception {
        long idleTimeouts = stat("idleTimeouts");
        long opened = System.nanoTime();
        int pings = 0;
        try (RawWebSocket silent = RawWebSocket.open(echoUri().getPort(), echoUri().getPath())) {
            Frame first = silent.read();
            assertEquals(RawWebSocket.PING, first.opcode(), "the server pings a connection as it opens");
            silent.send(RawWebSocket.PONG, first.payload());
            Frame frame = silent.read();
            for (; frame.opcode() == RawWebSocket.PING; frame = silent.read()) {
                pings++;
            }
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - opened);
            assertEquals(RawWebSocket.CLOSE, frame.opcode(), "a close frame after the pings");
            assertEquals(1001, frame.closeCode());
            assertEquals("Idle timeout: nothing received for " + settings.idleTimeout().toMillis() + " ms",
                    frame.text().substring(2));
            assertTrue(pings >= 1, "pinged before being closed");
            Duration bound = settings.pingInterval().plus(settings.idleTimeout()).plus(SLACK);
            assertTrue(closedAfter.compareTo(bound) <= 0, "closed after " + closedAfter + ", more than " + bound);
            if (container().has(Deviation.CLOSE_WAITS_FOR_THE_PEER)) {
                // These keep the TCP connection until the peer answers the close frame, which a vanished peer never
                // does; the server forgets the session once the send timeout has passed (README, deviations).
                assertEventually(0L, () -> stat("openSessions"),
                        settings.sendTimeout().plus(settings.pingInterval()).plus(SLACK), "open sessions");
            } else {
                assertTrue(silent.awaitEndOfStream(), "the server ends the TCP connection");
            }
        }
        assertEventually(0L, () -> stat("openSessions"), SLACK, "open sessions after the silent peer was closed");
        assertEquals(idleTimeouts + 1, stat("idleTimeouts"));
    }

    /** Only on Tyrus, whose engine loses the close of a peer that leaves during the handshake (README, deviations). */
    @Test
    void closesAPeerThatNeverAnswersTheFirstPingWithinTheFirstPongTimeout() throws Exception {
        assumeTrue(container().has(Deviation.CLOSE_LOST_DURING_HANDSHAKE),
                "new sessions are pinged as they open on Tyrus only");
        long idleTimeouts = stat("idleTimeouts");
        long opened = System.nanoTime();
        try (RawWebSocket mute = RawWebSocket.open(echoUri().getPort(), echoUri().getPath())) {
            Frame close = mute.awaitClose();
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - opened);
            assertEquals(1001, close.closeCode());
            assertEquals("No answer to the first ping within " + settings.firstPongTimeout().toMillis() + " ms",
                    close.text().substring(2));
            Duration bound = settings.firstPongTimeout().plus(SLACK);
            assertTrue(closedAfter.compareTo(bound) <= 0, "closed after " + closedAfter + ", more than " + bound);
        }
        assertEventually(0L, () -> stat("openSessions"), settings.sendTimeout().plus(SLACK), "open sessions");
        assertEquals(idleTimeouts + 1, stat("idleTimeouts"));
    }

    @Test
    void keepsAQuietClientThatAnswersPings() throws Exception {
        try (EchoClient quiet = EchoClient.connect(echoUri())) {
            assertTrue(quiet.staysOpenFor(settings.idleTimeout().multipliedBy(3)), "the JDK's client answers pings");
            quiet.sendText("still here");
            assertEquals("still here", quiet.nextText());
        }
    }
}
