package dev.websocketecho.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes, for state that no event announces (such as a count). */
public final class Eventually {

    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Eventually() {
    }

    /** Waits until {@code value} returns {@code expected}; fails with the last value seen after {@code timeout}. */
    public static <T> void assertEventually(T expected, Supplier<T> value, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!expected.equals(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": expected " + expected + " within " + timeout + " but was " + last);
            }
            LockSupport.parkNanos(POLL_NANOS);
            last = value.get();
        }
    }
}
