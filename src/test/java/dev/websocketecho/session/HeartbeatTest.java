package dev.websocketecho.session;

import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.EmbeddedEchoServer;
import dev.websocketecho.testing.RawWebSocket;
import dev.websocketecho.testing.RawWebSocket.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heartbeat on Tyrus' embedded server, with a ping every 100 ms and an idle timeout of 400 ms. */
class HeartbeatTest {

    private static EmbeddedEchoServer server;
    private static Heartbeat heartbeat;

    @BeforeAll
    static void start() throws Exception {
        server = new EmbeddedEchoServer();
        heartbeat = Heartbeat.start(SessionRegistry.instance(), Duration.ofMillis(100), Duration.ofMillis(400),
                Duration.ofSeconds(10), 8);
    }

    @AfterAll
    static void stop() {
        heartbeat.close();
        server.close();
    }

    @Test
    void pingsAPeerThatSaysNothingAndClosesItAfterTheIdleTimeout() throws Exception {
        assertEventually(0, () -> SessionRegistry.instance().openSessions(), Duration.ofSeconds(5),
                "open sessions before the test");
        try (RawWebSocket silent = RawWebSocket.open(server.port(), EmbeddedEchoServer.CONTEXT_PATH + "/echo")) {
            Frame first = silent.read();
            assertEquals(RawWebSocket.PING, first.opcode());
            assertEquals("websocket-echo", first.text());
            Frame close = silent.awaitClose();
            assertEquals(1001, close.closeCode());
            assertEquals("Idle timeout: nothing received for 400 ms", close.text().substring(2));
            assertTrue(silent.awaitEndOfStream(), "the server closes the TCP connection");
        }
        assertEventually(0, () -> SessionRegistry.instance().openSessions(), Duration.ofSeconds(5),
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
