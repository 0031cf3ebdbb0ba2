package dev.websocketecho.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber of a topic that keeps every text message it receives, with when it came, and reconnects when its
 * connection ends, after a growing delay (0.1 s, 0.2 s, 0.4 s, at most 1 s), as the page does.
 */
public final class Subscriber implements WebSocket.Listener {

    /** A message as received: its text, when it came, and on which connection of the subscriber (from 1). */
    public record Received(String text, long nanos, int connection) {
    }

    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final Duration LONGEST_DELAY = Duration.ofSeconds(1);

    private final HttpClient http;
    private final URI uri;
    private final ScheduledExecutorService reconnects;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final StringBuilder part = new StringBuilder();
    private volatile boolean stopped;
    private volatile WebSocket socket;

    private Subscriber(HttpClient http, URI uri, ScheduledExecutorService reconnects) {
        this.http = http;
        this.uri = uri;
        this.reconnects = reconnects;
    }

    /** Connects; the first connection may take a few attempts too. */
    public static Subscriber connect(HttpClient http, URI uri, ScheduledExecutorService reconnects) {
        Subscriber subscriber = new Subscriber(http, uri, reconnects);
        subscriber.attempt();
        return subscriber;
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, this)
                .whenComplete((opened, failure) -> {
                    if (failure != null) {
                        reconnectLater();
                    }
                });
    }

    private void reconnectLater() {
        if (stopped) {
            return;
        }
        int failed = Math.min(failedAttempts.getAndIncrement(), 10);
        long delay = Math.min(FIRST_DELAY.toMillis() << failed, LONGEST_DELAY.toMillis());
        reconnects.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        failedAttempts.set(0);
        connections.incrementAndGet();
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
        part.append(text);
        if (last) {
            synchronized (received) {
                received.add(new Received(part.toString(), System.nanoTime(), connections.get()));
            }
            part.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        part.setLength(0);
        reconnectLater();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        part.setLength(0);
        reconnectLater();
    }

    /** The messages received so far, in order. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The texts received so far, in order. */
    public List<String> texts() {
        return received().stream().map(Received::text).toList();
    }

    /** How many connections the subscriber has opened. */
    public int connections() {
        return connections.get();
    }

    /** Closes the connection and stops reconnecting. */
    public void stop() {
        stopped = true;
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }
}
