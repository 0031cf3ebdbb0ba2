package dev.websocketecho.echo;

import dev.websocketecho.session.SessionRegistry;
import dev.websocketecho.stats.EchoStats;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.EmbeddedEchoServer;
import dev.websocketecho.testing.Payloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint on Tyrus' embedded server with the default settings: a 1 MiB message limit. */
class EchoEndpointTest {

    private static final int LIMIT = 1024 * 1024;
    private static final Duration CLEANUP = Duration.ofSeconds(10);

    private static EmbeddedEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedEchoServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void echoesTextUnchanged() throws Exception {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.sendText("Hello, WebSocket");
            assertEquals("Hello, WebSocket", client.nextText());
        }
    }

    @Test
    void echoesUnicodeIncludingCharactersOutsideTheBasicMultilingualPlane() throws Exception {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.sendText(Payloads.UNICODE);
            assertEquals(Payloads.UNICODE, client.nextText());
        }
    }

    @Test
    void echoesBinaryByteForByte() throws Exception {
        ByteBuffer bytes = Payloads.randomBytes(70_000, 1);
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.sendBinary(bytes.duplicate());
            assertEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void echoesEmptyMessages() throws Exception {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.sendText("");
            assertEquals("", client.nextText());
            client.sendBinary(ByteBuffer.allocate(0));
            assertEquals(ByteBuffer.allocate(0), client.nextBinary());
        }
    }

    @Test
    void echoesInOrderOnTheSameConnection() throws Exception {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            for (int i = 0; i < 200; i++) {
                if (i % 2 == 0) {
                    client.sendText("message " + i);
                } else {
                    client.sendBinary(ByteBuffer.wrap(("message " + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            for (int i = 0; i < 200; i++) {
                Object echo = client.nextMessage();
                String text = echo instanceof ByteBuffer binary ? StandardCharsets.UTF_8.decode(binary).toString()
                        : (String) echo;
                assertEquals("message " + i, text);
                assertEquals(i % 2 == 0, echo instanceof String, "kind of message " + i);
            }
        }
    }

    @Test
    void echoesFragmentedMessagesWhole() throws Exception {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.socket().sendText("frag", false).join();
            client.socket().sendText("mented 😀 ", false).join();
            client.socket().sendText("text", true).join();
            assertEquals("fragmented 😀 text", client.nextText());

            ByteBuffer bytes = Payloads.randomBytes(3000, 2);
            client.socket().sendBinary(bytes.duplicate().limit(1000), false).join();
            client.socket().sendBinary(bytes.duplicate().position(1000).limit(1001), false).join();
            client.socket().sendBinary(bytes.duplicate().position(1001), true).join();
            assertEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void echoesMessagesAtTheLimit() throws Exception {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            String text = Payloads.asciiText(LIMIT - 4) + "😀";
            client.sendText(text);
            assertEquals(text, client.nextText());
            ByteBuffer bytes = Payloads.randomBytes(LIMIT, 3);
            client.sendBinary(bytes.duplicate());
            assertEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void closesWith1009NamingTheLimitWhenATextMessageIsOneByteTooBig() {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.sendRefused(Payloads.asciiText(LIMIT - 3) + "😀");
            assertEquals(new EchoClient.Closed(1009, "Message too big: the limit is 1048576 bytes"),
                    client.awaitClose());
        }
    }

    @Test
    void closesWith1009WhenABinaryMessageIsTooBig() {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.sendRefused(Payloads.randomBytes(2 * LIMIT, 4));
            assertEquals(1009, client.awaitClose().code());
        }
    }

    @Test
    void closesWith1009WhenFragmentsAddUpToTooMuch() {
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            client.socket().sendBinary(ByteBuffer.allocate(LIMIT), false).join();
            client.sendRefused(ByteBuffer.allocate(1));
            assertEquals(1009, client.awaitClose().code());
        }
    }

    @Test
    void keepsServingOthersWhileOneClientIsRefused() throws Exception {
        try (EchoClient bystander = EchoClient.connect(server.echoUri());
             EchoClient offender = EchoClient.connect(server.echoUri())) {
            offender.sendRefused(ByteBuffer.allocate(LIMIT + 1));
            assertEquals(1009, offender.awaitClose().code());
            bystander.sendText("still here");
            assertEquals("still here", bystander.nextText());
        }
    }

    @Test
    void acceptsHandshakesWithoutOriginAndFromThePagesOwnOrigin() throws Exception {
        String ownOrigin = "http://127.0.0.1:" + server.port();
        try (EchoClient plain = EchoClient.connect(server.echoUri());
             EchoClient browser = EchoClient.connect(server.echoUri(), Map.of("Origin", ownOrigin))) {
            plain.sendText("no origin");
            assertEquals("no origin", plain.nextText());
            browser.sendText("own origin");
            assertEquals("own origin", browser.nextText());
        }
    }

    /** The embedded server runs no servlet filter, so the endpoint's own check answers, as on Jetty. */
    @Test
    void closesAForeignOriginsConnectionWith1008BeforeAnyMessage() throws Exception {
        for (String foreign : new String[] {"http://evil.example", "http://127.0.0.1:" + server.port() + ".evil.example",
                "null"}) {
            try (EchoClient client = EchoClient.connect(server.echoUri(), Map.of("Origin", foreign))) {
                assertEquals(new EchoClient.Closed(1008, "Origin not allowed"), client.awaitClose(), foreign);
            }
        }
    }

    @Test
    void countsMessagesAndBytesBothWays() throws Exception {
        EchoStats stats = server.application().stats();
        try (EchoClient client = EchoClient.connect(server.echoUri())) {
            long messagesIn = stats.messagesIn();
            long messagesOut = stats.messagesOut();
            long bytesIn = stats.bytesIn();
            long bytesOut = stats.bytesOut();
            client.sendText("😀");
            client.nextText();
            client.sendBinary(ByteBuffer.allocate(10));
            client.nextBinary();
            // This class has a server of its own and its tests run one at a time: nothing else moves the counters.
            assertEquals(messagesIn + 2, stats.messagesIn());
            assertEquals(bytesIn + 14, stats.bytesIn());
            // The echo may reach the client a moment before the server sees its send complete.
            assertEventually(messagesOut + 2, stats::messagesOut, CLEANUP, "messages out");
            assertEventually(bytesOut + 14, stats::bytesOut, CLEANUP, "bytes out");
        }
    }

    @Test
    void removesSessionsClosedNormallyOrDroppedWithoutACloseFrame() throws Exception {
        SessionRegistry registry = server.application().registry();
        assertEventually(0, registry::openSessions, CLEANUP, "open sessions before the test");
        long total = registry.totalSessions();
        List<EchoClient> clients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            EchoClient client = EchoClient.connect(server.echoUri());
            client.sendText("client " + i);
            assertEquals("client " + i, client.nextText());
            clients.add(client);
        }
        assertEquals(100, registry.openSessions());
        assertEquals(total + 100, registry.totalSessions());
        for (int i = 0; i < clients.size(); i++) {
            if (i % 2 == 0) {
                clients.get(i).close();
            } else {
                clients.get(i).abort();
            }
        }
        assertEventually(0, registry::openSessions, CLEANUP, "open sessions after every client left");
        assertTrue(registry.totalSessions() >= total + 100);
    }
}
