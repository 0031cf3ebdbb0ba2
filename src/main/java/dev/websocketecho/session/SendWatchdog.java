package dev.websocketecho.session;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends the sends that a peer does not take, where no timeout of a send can reach them, and bounds how many may stall
 * at once.
 * <p>
 * A send (an echo or a ping) that has run for longer than the send timeout is stuck: some containers block in {@code
 * sendPing}, or even in an asynchronous send, while the peer does not read; closing the session ends it. Looking four
 * times per send timeout (and at least twice per {@link #STALL}) closes it soon after the send timeout.
 * <p>
 * A send that has run for longer than {@link #STALL} is stalled. It waits on the container's thread that read the
 * peer's message, so that the peer's next message is read only once its echo is out; without a bound, as many peers
 * that do not read as the container has threads would leave none for anybody else. Beyond
 * {@code echo.maxStalledSends} stalled sends, the most recent ones are closed at once rather than after the send
 * timeout. A delivery to a topic's subscriber holds no thread while it waits, so it never counts as stalled: its
 * subscriber's queue has a bound of its own.
 */
public final class SendWatchdog {

    private static final Logger LOG = System.getLogger(SendWatchdog.class.getName());
    /** How long a send may run before it counts as stalled: far longer than a reading peer takes to take an echo. */
    static final Duration STALL = Duration.ofSeconds(1);
    private static final Duration SHORTEST_LOOK = Duration.ofMillis(100);

    private final SessionRegistry registry;
    private final Workers workers;
    private final int maxStalledSends;

    private SendWatchdog(SessionRegistry registry, Workers workers, int maxStalledSends) {
        this.registry = registry;
        this.workers = workers;
        this.maxStalledSends = maxStalledSends;
    }

    public static void start(Duration sendTimeout, int maxStalledSends, SessionRegistry registry, Workers workers) {
        SendWatchdog watchdog = new SendWatchdog(registry, workers, maxStalledSends);
        long look = Math.max(Math.min(sendTimeout.toNanos() / 4, STALL.toNanos() / 2), SHORTEST_LOOK.toNanos());
        workers.clock.scheduleWithFixedDelay(watchdog::watch, 0, look, TimeUnit.NANOSECONDS);
    }

    private void watch() {
        try {
            long now = System.nanoTime();
            List<Stalled> stalled = new ArrayList<>();
            for (Connection connection : registry.connections()) {
                long started = connection.sendStartedNanos();
                if (started == 0 || connection.givenUp()) {
                    continue;
                }
                if (connection.sendStuck(now)) {
                    workers.closers.execute(connection::closeForSendTimeout);
                } else if (connection.sendHoldsThread() && now - started > STALL.toNanos()) {
                    stalled.add(new Stalled(connection, started));
                }
            }
            if (stalled.size() > maxStalledSends) {
                // The oldest stalls end soonest by the send timeout; the newest are given up now.
                stalled.sort(Comparator.comparingLong(Stalled::startedNanos));
                for (Stalled newer : stalled.subList(maxStalledSends, stalled.size())) {
                    workers.closers.execute(() -> newer.connection().closeStalled(STALL, maxStalledSends));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Watching sends failed", e);
        }
    }

    private record Stalled(Connection connection, long startedNanos) {
    }
}
