package dev.websocketecho.it.stress;

import dev.websocketecho.it.DeployedWar;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.Nginx;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code proxy_read_timeout} of the {@code deploy/nginx/} recipe: a connection that carries nothing for longer than
 * nginx's default read timeout stays open through the proxy. The server's own pings would keep any proxied connection
 * busy, so this runs in the long-running execution, whose server pings less often than nginx's default allows.
 */
class NginxIdleIT extends DeployedWar {

    /** nginx's own proxy_read_timeout, which the recipe raises. */
    private static final Duration NGINX_DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SILENCE = NGINX_DEFAULT_READ_TIMEOUT.plusSeconds(5);

    @Test
    void keepsAnIdleConnectionOpenPastNginxsDefaultReadTimeout() throws Exception {
        assertTrue(settings().pingInterval().compareTo(SILENCE) > 0,
                "the server pings every " + settings().pingInterval() + ", which would hide the proxy's "
                        + "read timeout; this execution needs a longer echo.pingIntervalMillis");
        try (Nginx nginx = Nginx.start(echoUri().getPort());
             EchoClient client = EchoClient.connect(
                     URI.create("ws://127.0.0.1:" + nginx.port() + "/websocket-echo/echo"))) {
            client.sendText("before");
            assertEquals("before", client.nextText());
            assertTrue(client.staysOpenFor(SILENCE), "closed while idle behind the proxy");
            client.sendText("after 65 s of silence");
            assertEquals("after 65 s of silence", client.nextText());
        }
    }
}
