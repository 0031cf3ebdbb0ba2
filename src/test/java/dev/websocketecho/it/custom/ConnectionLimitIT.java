package dev.websocketecho.it.custom;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.testing.Deviation;
import dev.websocketecho.testing.RawWebSocket;
import dev.websocketecho.testing.RawWebSocket.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The connection caps, with the small ones the build sets for the tests of this package. Each peer connects from its
 * own loopback address (127.0.0.2, 127.0.0.3 …) to the server on 127.0.0.1, so the per-address cap can be told from
 * the total one. Over a cap a handshake gets 503 with {@code Retry-After} and the connections held keep being served.
 * <p>
 * Jetty upgrades before any application filter runs (jetty/jetty.project#10433), so there the handshake succeeds and
 * the connection is closed with 1013 as it opens, counted with the peer address Jetty gives the endpoint.
 */
class ConnectionLimitIT extends WithCustomSettings {

    private static final Duration CLEANUP = Duration.ofSeconds(30);

    private final EchoSettings settings = settings();
    private final List<RawWebSocket> held = new ArrayList<>();

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        awaitNoOpenSessions();
    }

    @AfterEach
    void closeAll() throws IOException {
        for (RawWebSocket ws : held) {
            ws.close();
        }
    }

    @Test
    void refusesOverThePerAddressCapAndServesTheConnectionsItHolds() throws Exception {
        int perAddress = settings.maxConnectionsPerAddress();
        hold("127.0.0.2", perAddress);
        long refused = stat("refusedConnections");
        assertRefused("127.0.0.2", "Address 127.0.0.2 holds its maximum of " + perAddress + " connections");
        assertEquals(refused + 1, stat("refusedConnections"));

        hold("127.0.0.3", 1);
        assertEchoes(held.get(0));
        assertEchoes(held.get(perAddress - 1));

        held.remove(0).close();
        assertEventually(true, () -> admitted("127.0.0.2"), CLEANUP, "a connection once another one from the address left");
    }

    @Test
    void refusesOverTheTotalCapWhateverTheAddress() throws Exception {
        int total = settings.maxConnections();
        int perAddress = settings.maxConnectionsPerAddress();
        for (int address = 2; held.size() < total; address++) {
            hold("127.0.0." + address, Math.min(perAddress, total - held.size()));
        }
        assertRefused("127.0.0.200", "The server holds its maximum of " + total + " connections");
        assertEchoes(held.get(0));
        assertEchoes(held.get(total - 1));

        for (RawWebSocket ws : held) {
            ws.close();
        }
        held.clear();
        assertEventually(0L, () -> stat("openSessions"), CLEANUP, "open sessions after all left");
        hold("127.0.0.2", perAddress);
    }

    private void hold(String address, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            held.add(RawWebSocket.open(RawWebSocket.socketFrom(address), echoUri().getPort(), echoUri().getPath())
                    .answeringPings());
        }
    }

    private boolean admitted(String address) {
        try {
            held.add(RawWebSocket.open(RawWebSocket.socketFrom(address), echoUri().getPort(), echoUri().getPath())
                    .answeringPings());
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private void assertRefused(String address, String reason) throws IOException {
        try (RawWebSocket ws = RawWebSocket.handshake(RawWebSocket.socketFrom(address), echoUri().getPort(),
                RawWebSocket.upgradeRequest(echoUri().getPort(), echoUri().getPath()))) {
            if (container().has(Deviation.UPGRADE_BEFORE_FILTERS)) {
                assertEquals(101, ws.response().status());
                Frame close = ws.awaitClose();
                assertEquals(1013, close.closeCode());
                assertEquals("Try again later: too many connections", close.text().substring(2));
                return;
            }
            assertEquals(503, ws.response().status(), "status of a handshake over the cap: " + ws.response());
            assertEquals("10", ws.response().headers().get("retry-after"));
            assertEquals(reason + "; try again later.\n", ws.body());
        }
    }

    private static void assertEchoes(RawWebSocket ws) throws IOException {
        byte[] message = "still served".getBytes(StandardCharsets.UTF_8);
        ws.send(RawWebSocket.TEXT, message);
        Frame echo = ws.read();
        assertEquals(RawWebSocket.TEXT, echo.opcode());
        assertArrayEquals(message, echo.payload());
    }
}
