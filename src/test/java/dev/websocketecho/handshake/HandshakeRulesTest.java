package dev.websocketecho.handshake;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.EmbeddedEchoServer;
import dev.websocketecho.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The handshake rules where the container upgrades before any filter, as Tyrus embedded does: the endpoint's
 * configurator applies them and a refused connection is closed as it opens. At most 3 connections.
 */
class HandshakeRulesTest {

    private static final int CAP = 3;
    private static final EchoClient.Closed OVER_CAP = new EchoClient.Closed(1013,
            "Try again later: too many connections");

    private static EmbeddedEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedEchoServer.start(TestSettings.with(EchoSettings.MAX_CONNECTIONS, String.valueOf(CAP)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void closesAConnectionOverTheCapWith1013AndServesTheOthersUntilOneLeaves() throws Exception {
        server.awaitNoOpenSessions();
        long refused = server.stat("refusedConnections");
        List<EchoClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                held.add(EchoClient.connect(server.echoUri()));
            }
            try (EchoClient over = EchoClient.connect(server.echoUri())) {
                assertEquals(OVER_CAP, over.awaitClose());
            }
            assertEquals(refused + 1, server.stat("refusedConnections"));
            held.get(0).sendText("still served");
            assertEquals("still served", held.get(0).nextText());

            held.remove(0).close();
            assertEventually((long) CAP - 1, () -> server.stat("openSessions"), Duration.ofSeconds(10),
                    "open sessions after one left");
            held.add(EchoClient.connect(server.echoUri()));
            held.get(CAP - 1).sendText("its place was given back");
            assertEquals("its place was given back", held.get(CAP - 1).nextText());
        } finally {
            held.forEach(EchoClient::close);
        }
    }

    /** The origin is judged before the caps: a foreign page's connection never takes a place under them. */
    @Test
    void judgesTheOriginBeforeTheCaps() throws Exception {
        server.awaitNoOpenSessions();
        List<EchoClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                held.add(EchoClient.connect(server.echoUri()));
            }
            try (EchoClient foreign = EchoClient.connect(server.echoUri(), Map.of("Origin", "http://evil.example"))) {
                assertEquals(new EchoClient.Closed(1008, "Origin not allowed"), foreign.awaitClose());
            }
        } finally {
            held.forEach(EchoClient::close);
        }
    }
}
