package dev.websocketecho.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the echo traffic. {@link LongAdder}s keep the message path free of locks and of contended writes.
 */
public final class EchoStats {

    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder sendTimeouts = new LongAdder();
    private final LongAdder messagesPublished = new LongAdder();
    private final LongAdder messagesDelivered = new LongAdder();
    private final LongAdder tooSlow = new LongAdder();

    public void received(long bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
    }

    public void sent(long bytes) {
        messagesOut.increment();
        bytesOut.add(bytes);
    }

    /** A handshake or a new connection was refused because a connection cap was reached. */
    public void refusedConnection() {
        refusedConnections.increment();
    }

    /** A connection was closed because nothing was heard from its peer for the idle timeout. */
    public void idleTimeout() {
        idleTimeouts.increment();
    }

    /** A connection was closed because its peer did not take a message within the send timeout. */
    public void sendTimeout() {
        sendTimeouts.increment();
    }

    /** A message was published to a topic. */
    public void published() {
        messagesPublished.increment();
    }

    /** A message published to a topic reached one of its subscribers. */
    public void delivered() {
        messagesDelivered.increment();
    }

    /** A subscriber was closed because more than its bound of messages waited for it. */
    public void subscriberTooSlow() {
        tooSlow.increment();
    }

    public long messagesPublished() {
        return messagesPublished.sum();
    }

    public long messagesDelivered() {
        return messagesDelivered.sum();
    }

    public long subscribersTooSlow() {
        return tooSlow.sum();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long refusedConnections() {
        return refusedConnections.sum();
    }

    public long idleTimeouts() {
        return idleTimeouts.sum();
    }

    public long sendTimeouts() {
        return sendTimeouts.sum();
    }
}
