package dev.websocketecho.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the echo traffic. {@link LongAdder}s keep the message path free of locks and of contended writes.
 */
public final class EchoStats {

    private static final EchoStats INSTANCE = new EchoStats();

    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    public static EchoStats instance() {
        return INSTANCE;
    }

    public void received(long bytes) {
        messagesIn.increment();
        bytesIn.add(bytes);
    }

    public void sent(long bytes) {
        messagesOut.increment();
        bytesOut.add(bytes);
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
}
