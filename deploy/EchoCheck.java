import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Checks a deployed websocket-echo from outside: the page loads, and a text and a binary message come back unchanged.
 * Needs nothing but a JDK 17:
 *
 * <pre>java deploy/EchoCheck.java http://127.0.0.1:8080/websocket-echo/</pre>
 *
 * Exits 0 when every check passed, 1 with the reason when one failed.
 */
public class EchoCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java EchoCheck.java http://HOST:PORT/websocket-echo/");
            System.exit(2);
        }
        URI page = URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/");
        URI echo = URI.create(page.toString().replaceFirst("^http", "ws") + "echo");
        try {
            check(page, echo);
            System.out.println("OK: " + page + " serves the page and " + echo + " echoes text and binary");
        } catch (Exception | AssertionError e) {
            System.err.println("FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void check(URI page, URI echo) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(page).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("<title>websocket-echo</title>")) {
            throw new AssertionError(page + " answered " + response.statusCode() + " without the page");
        }

        var received = new LinkedBlockingQueue<Object>();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(echo, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence part, boolean last) {
                text.append(part);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer part, boolean last) {
                received.add(ByteBuffer.allocate(part.remaining()).put(part).flip());
                webSocket.request(1);
                return null;
            }
        }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        String text = "echo check ✓ 😀";
        ByteBuffer binary = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        expect(text, received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "text");
        socket.sendBinary(binary.duplicate(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        expect(binary, received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "binary");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "checked").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void expect(Object sent, Object echoed, String kind) {
        if (!sent.equals(echoed)) {
            throw new AssertionError("the " + kind + " echo was " + (echoed == null ? "missing" : "different"));
        }
    }
}
