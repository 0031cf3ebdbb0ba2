package dev.websocketecho.it;

import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.Nginx;
import dev.websocketecho.testing.Payloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipes of {@code deploy/nginx/}, in Debian's nginx, in front of the deployed WAR. A proxy is the same in front
 * of every container, so this runs with the development server, Payara Micro, alone. The recipe's read timeout is
 * proved by {@code NginxIdleIT} in the long-running execution.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "payara-micro")
class NginxProxyIT extends DeployedWar {

    private static Nginx nginx;

    @BeforeEach
    void startNginx() throws Exception {
        if (nginx == null) {
            nginx = Nginx.start(echoUri().getPort());
        }
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
            nginx = null;
        }
    }

    private URI proxiedEcho() {
        return URI.create("ws://127.0.0.1:" + nginx.port() + "/websocket-echo/echo");
    }

    @Test
    void echoesThroughTheProxyForThePageItServes() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + nginx.port() + "/websocket-echo/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>websocket-echo</title>"));

        // The page's origin is the proxy's; the recipe passes the Host header on so that it counts as same-origin.
        try (EchoClient client = EchoClient.connect(proxiedEcho(),
                Map.of("Origin", "http://127.0.0.1:" + nginx.port()))) {
            client.sendText(Payloads.UNICODE);
            assertEquals(Payloads.UNICODE, client.nextText());
            ByteBuffer bytes = Payloads.randomBytes(200_000, 30);
            client.sendBinary(bytes.duplicate());
            assertEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void stillRefusesForeignOriginsBehindTheProxy() {
        var refused = assertThrows(CompletionException.class,
                () -> EchoClient.connect(proxiedEcho(), Map.of("Origin", "http://evil.example")));
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                .getResponse().statusCode());
    }

    @Test
    void echoesOverTlsTerminatedByTheProxy() throws Exception {
        URI secure = URI.create("wss://127.0.0.1:" + nginx.tlsPort() + "/websocket-echo/echo");
        try (EchoClient client = EchoClient.connect(nginx.trustingClient(), secure,
                Map.of("Origin", "https://127.0.0.1:" + nginx.tlsPort()))) {
            client.sendText("over TLS");
            assertEquals("over TLS", client.nextText());
        }
    }
}
