package dev.websocketecho.session;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.EmbeddedEchoServer;
import dev.websocketecho.testing.RawWebSocket;
import dev.websocketecho.testing.RawWebSocket.Frame;
import dev.websocketecho.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heartbeat on Tyrus' embedded server, with a ping every 100 ms, an idle timeout of 400 ms and a first-pong timeout
 * of 150 ms.
 */
class HeartbeatTest {

    private static EmbeddedEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedEchoServer.start(TestSettings.with(
                EchoSettings.PING_INTERVAL_MILLIS, "100",
                EchoSettings.IDLE_TIMEOUT_MILLIS, "400",
                EchoSettings.FIRST_PONG_TIMEOUT_MILLIS, "150"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void closesAPeerThatNeverAnswersThePingItGetsAsItOpens() throws Exception {
        assertEventually(0L, () -> server.stat("openSessions"), Duration.ofSeconds(5),
                "open sessions before the test");
        try (RawWebSocket mute = RawWebSocket.open(server.port(), EmbeddedEchoServer.CONTEXT_PATH + "/echo")) {
            Frame first = mute.read();
            assertEquals(RawWebSocket.PING, first.opcode());
            assertEquals("websocket-echo", first.text());
            Frame close = mute.awaitClose();
            assertEquals(1001, close.closeCode());
            assertEquals("No answer to the first ping within 150 ms", close.text().substring(2));
        }
        assertEventually(0L, () -> server.stat("openSessions"), Duration.ofSeconds(5),
                "open sessions after the mute peer was closed");
    }

    @Test
    void pingsAPeerThatFallsSilentAndClosesItAfterTheIdleTimeout() throws Exception {
        assertEventually(0L, () -> server.stat("openSessions"), Duration.ofSeconds(5),
                "open sessions before the test");
        try (RawWebSocket silent = RawWebSocket.open(server.port(), EmbeddedEchoServer.CONTEXT_PATH + "/echo")) {
            Frame first = silent.read();
            assertEquals(RawWebSocket.PING, first.opcode());
            silent.send(RawWebSocket.PONG, first.payload());
            Frame close = silent.awaitClose();
            assertEquals(1001, close.closeCode());
            assertEquals("Idle timeout: nothing received for 400 ms", close.text().substring(2));
            assertTrue(silent.awaitEndOfStream(), "the server closes the TCP connection");
        }
        assertEventually(0L, () -> server.stat("openSessions"), Duration.ofSeconds(5),
                "open sessions after the silent peer was closed");
    }

    @Test
    void keepsAQuietPeerThatAnswersPings() throws Exception {
        try (EchoClient quiet = EchoClient.connect(server.echoUri())) {
            assertTrue(quiet.staysOpenFor(Duration.ofMillis(1500)), "the JDK's client answers every ping");
            quiet.sendText("still here");
            assertEquals("still here", quiet.nextText());
        }
    }
}
