package dev.websocketecho.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client for tests, on the JDK's own {@link java.net.http.WebSocket}: it collects whole messages and the
 * close frame into queues, so that tests wait with a timeout and never sleep.
 */
public final class EchoClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One client for all connections: each {@link HttpClient} has threads of its own. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** A whole message as received: a {@link String} or a {@link ByteBuffer}. */
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    /** The close frame the server sent. */
    public record Closed(int code, String reason) {
    }

    private EchoClient(HttpClient http, URI uri, Map<String, String> headers) {
        var builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, new Collector()).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public static EchoClient connect(URI uri) {
        return new EchoClient(HTTP, uri, Map.of());
    }

    public static EchoClient connect(URI uri, Map<String, String> headers) {
        return new EchoClient(HTTP, uri, headers);
    }

    /** Through a client of the caller's, such as one that trusts a test certificate. */
    public static EchoClient connect(HttpClient http, URI uri, Map<String, String> headers) {
        return new EchoClient(http, uri, headers);
    }

    public WebSocket socket() {
        return socket;
    }

    public void sendText(CharSequence text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public void sendBinary(ByteBuffer data) {
        socket.sendBinary(data, true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * Sends a message the server is expected to refuse: a server that counts as it reads may close the connection
     * before the client has written the whole message, so a failed write is part of the expected outcome.
     */
    public void sendRefused(Object message) {
        var sent = message instanceof ByteBuffer binary ? socket.sendBinary(binary, true)
                : socket.sendText((CharSequence) message, true);
        sent.exceptionally(cutOff -> null).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * The same for a binary message sent in parts of {@code partSize} bytes, each its own frame, so that the server
     * hears from the client as each part arrives, however long the whole message takes to upload.
     */
    public void sendRefusedInParts(ByteBuffer message, int partSize) {
        try {
            while (message.hasRemaining()) {
                ByteBuffer part = message.slice(message.position(), Math.min(partSize, message.remaining()));
                message.position(message.position() + part.remaining());
                socket.sendBinary(part, !message.hasRemaining()).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .join();
            }
        } catch (CompletionException cutOff) {
            // The server closed the connection once the message went over the limit.
        }
    }

    /** The next whole message, waiting at most {@link #TIMEOUT}. */
    public Object nextMessage() throws InterruptedException {
        Object message = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("No message within " + TIMEOUT + (closed.isDone()
                    ? "; the connection ended: " + closed.handle((close, error) -> close != null ? close : error).join()
                    : ""));
        }
        return message;
    }

    public String nextText() throws InterruptedException {
        return (String) nextMessage();
    }

    public ByteBuffer nextBinary() throws InterruptedException {
        return (ByteBuffer) nextMessage();
    }

    /** The close frame the server sends, waiting at most {@link #TIMEOUT}. */
    public Closed awaitClose() {
        return closed.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Whether the connection is still open after waiting {@code quietPeriod} for it to close. */
    public boolean staysOpenFor(Duration quietPeriod) throws InterruptedException {
        try {
            closed.get(quietPeriod.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException stillOpen) {
            return !socket.isInputClosed();
        } catch (ExecutionException failed) {
            return false;
        }
    }

    /** Drops the TCP connection without a close frame, as a crashed client or a lost network would. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private StringBuilder text = new StringBuilder();
        private final List<ByteBuffer> binary = new ArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence part, boolean last) {
            text.append(part);
            if (last) {
                messages.add(text.toString());
                text = new StringBuilder();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer part, boolean last) {
            binary.add(ByteBuffer.allocate(part.remaining()).put(part).flip());
            if (last) {
                ByteBuffer whole = ByteBuffer.allocate(binary.stream().mapToInt(ByteBuffer::remaining).sum());
                binary.forEach(whole::put);
                messages.add(whole.flip());
                binary.clear();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
