package dev.websocketecho.it.custom;

import dev.websocketecho.testing.RawWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Peers that leave right after the handshake, as browsers do when a tab closes while its socket is opening, and as
 * health checks and scanners do: with a FIN or a reset, at once or a little later, and without a close frame. None of
 * their sessions may outlive its connection by more than the first-pong timeout, nor keep its place under the
 * connection caps: afterwards a client from the same address is admitted under the per-address cap that the build
 * sets for this package, which is the number of peers each case sends.
 */
class GhostSessionIT extends WithCustomSettings {

    private static final String ADDRESS = "127.0.0.9";
    private static final Duration BACK_WITHIN = Duration.ofSeconds(5);

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        awaitNoOpenSessions();
    }

    @ParameterizedTest(name = "{0} after {1} ms")
    @CsvSource({"FIN, 0", "FIN, 10", "FIN, 100", "RST, 0", "RST, 10", "RST, 100"})
    void sessionsOfPeersThatLeaveRightAfterTheHandshakeAreForgotten(String leave, long afterMillis) throws Exception {
        int peers = settings().maxConnectionsPerAddress();
        for (int i = 0; i < peers; i++) {
            RawWebSocket peer = RawWebSocket.open(RawWebSocket.socketFrom(ADDRESS), echoUri().getPort(),
                    echoUri().getPath());
            peer.lingerFor(Duration.ofMillis(afterMillis));
            if (leave.equals("RST")) {
                peer.resetOnClose();
            }
            peer.close();
        }
        assertEventually(0L, () -> stat("openSessions"), BACK_WITHIN, "open sessions after " + peers + " peers left");
        try (RawWebSocket client = RawWebSocket.open(RawWebSocket.socketFrom(ADDRESS), echoUri().getPort(),
                echoUri().getPath())) {
            byte[] message = "admitted".getBytes(StandardCharsets.UTF_8);
            client.send(RawWebSocket.TEXT, message);
            RawWebSocket.Frame echo = client.readSkippingPings();
            assertEquals(RawWebSocket.TEXT, echo.opcode());
            assertArrayEquals(message, echo.payload());
        }
    }
}
