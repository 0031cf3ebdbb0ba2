package dev.websocketecho.session;

import dev.websocketecho.stats.EchoStats;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pings every open session on an interval and closes those not heard from for longer than the idle timeout. A peer that
 * vanished without a FIN (a pulled cable, a dropped NAT mapping) never makes the container report a close; without
 * this it would stay registered for ever. Such a session is gone at most the idle timeout plus one interval after the
 * peer was last heard. A session with a message on its way is left to the send timeout, which it also enforces on
 * writes that the container itself would let wait for ever.
 * <p>
 * Given a first-pong timeout, every session is also pinged as it opens, and closed when it answers nothing within
 * that time: Tyrus on Grizzly (Payara, GlassFish) loses the close of a peer that leaves while the handshake is being
 * completed (it reaches Tyrus' upgrade handler before its connection exists), so that session would otherwise stay
 * open, and hold its place under the connection caps, for a whole idle timeout. Tyrus also hides that the ping could
 * not be written.
 * <p>
 * It also bounds how many writes may stall at once. A write waits on the container's thread that read the peer's
 * message, so that the peer's next message is read only once its echo is out; without a bound, as many peers that do
 * not read as the container has threads would leave none for anybody else. A write that has run for longer than
 * {@link #STALL} counts as stalled; beyond {@code echo.maxStalledSends} of them, the most recent ones are closed at once
 * rather than after the send timeout.
 * <p>
 * Its threads are the application's own, as only full Jakarta EE profiles offer managed executors: one keeps time,
 * closes idle sessions and watches writes and new sessions; two send the pings, because some containers write a ping
 * before {@code sendPing} returns; four close the sessions whose writes are stuck or stalled or that never answered,
 * because Open Liberty's {@code close} waits for seconds behind a write the peer does not take.
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Heartbeat.class.getName());
    private static final byte[] PING = "websocket-echo".getBytes(StandardCharsets.US_ASCII);
    /** How long a write may run before it counts as stalled: far longer than a reading peer takes to take an echo. */
    static final Duration STALL = Duration.ofSeconds(1);

    private final SessionRegistry registry;
    private final Duration idleTimeout;
    private final int maxStalledWrites;
    /** Empty where new sessions are not pinged as they open. */
    private final Optional<Duration> firstPongTimeout;
    private final CloseReason idle;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(
            daemons("websocket-echo-heartbeat"));
    private final ExecutorService pingers = Executors.newFixedThreadPool(2, daemons("websocket-echo-ping"));
    private final ExecutorService closers = Executors.newFixedThreadPool(4, daemons("websocket-echo-close"));

    private Heartbeat(SessionRegistry registry, Duration idleTimeout, int maxStalledWrites,
                      Optional<Duration> firstPongTimeout) {
        this.registry = registry;
        this.idleTimeout = idleTimeout;
        this.maxStalledWrites = maxStalledWrites;
        this.firstPongTimeout = firstPongTimeout;
        this.idle = new CloseReason(CloseCodes.GOING_AWAY,
                "Idle timeout: nothing received for " + idleTimeout.toMillis() + " ms");
    }

    /**
     * @param sendTimeout      how long a write may run: a stuck one is found within a quarter of it (and at most half a
     *                         {@link #STALL}), so that its session is closed soon after the send timeout even where the
     *                         container gives no timeout of its own
     * @param maxStalledWrites how many writes may stall at once
     * @param firstPongTimeout how long a new session has to answer the ping it gets as it opens, or empty for no such
     *                         ping; new sessions are looked at as often as writes
     */
    public static Heartbeat start(SessionRegistry registry, Duration pingInterval, Duration idleTimeout,
                                  Duration sendTimeout, int maxStalledWrites, Optional<Duration> firstPongTimeout) {
        Heartbeat heartbeat = new Heartbeat(registry, idleTimeout, maxStalledWrites, firstPongTimeout);
        heartbeat.clock.scheduleWithFixedDelay(heartbeat::beat, pingInterval.toNanos(), pingInterval.toNanos(),
                TimeUnit.NANOSECONDS);
        long shortest = firstPongTimeout.map(timeout -> Math.min(timeout.toNanos(), sendTimeout.toNanos()))
                .orElse(sendTimeout.toNanos());
        long watch = Math.max(Math.min(shortest / 4, STALL.toNanos() / 2), TimeUnit.MILLISECONDS.toNanos(100));
        heartbeat.clock.scheduleWithFixedDelay(heartbeat::watch, 0, watch, TimeUnit.NANOSECONDS);
        return heartbeat;
    }

    private void beat() {
        try {
            long now = System.nanoTime();
            for (Outbox outbox : registry.outboxes()) {
                if (outbox.closingTooLong(now)) {
                    LOG.log(Level.INFO, "Session {0} was closed but its peer never finished the close handshake;"
                            + " forgetting it", outbox.sessionId());
                    registry.forget(outbox);
                    continue;
                }
                if (outbox.busy()) {
                    continue;
                }
                if (outbox.silentFor(now).compareTo(idleTimeout) <= 0) {
                    if (outbox.claimPing()) {
                        pingers.execute(() -> outbox.ping(PING));
                    }
                } else if (outbox.giveUp()) {
                    LOG.log(Level.INFO, "Session {0}: nothing received for {1} ms; closing it",
                            outbox.sessionId(), outbox.silentFor(now).toMillis());
                    EchoStats.instance().idleTimeout();
                    outbox.close(idle);
                }
            }
        } catch (RuntimeException e) {
            // A failure must not end the schedule: the next beat tries again.
            LOG.log(Level.WARNING, "Heartbeat failed", e);
        }
    }

    private void watch() {
        try {
            long now = System.nanoTime();
            List<Stalled> stalled = new ArrayList<>();
            for (Outbox outbox : registry.outboxes()) {
                if (outbox.givenUp()) {
                    continue;
                }
                if (firstPongTimeout.isPresent() && !outbox.heardSinceOpen()) {
                    watchOpening(outbox, now, firstPongTimeout.get());
                }
                long started = outbox.writeStartedNanos();
                if (started == 0) {
                    continue;
                }
                if (outbox.writeStuck(now)) {
                    closers.execute(outbox::closeStuck);
                } else if (now - started > STALL.toNanos()) {
                    stalled.add(new Stalled(outbox, started));
                }
            }
            if (stalled.size() > maxStalledWrites) {
                // The oldest stalls end soonest by the send timeout; the newest are given up now.
                stalled.sort(Comparator.comparingLong(Stalled::startedNanos));
                for (Stalled newer : stalled.subList(maxStalledWrites, stalled.size())) {
                    closers.execute(() -> newer.outbox().closeStalled(STALL, maxStalledWrites));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Watching sessions failed", e);
        }
    }

    private void watchOpening(Outbox outbox, long now, Duration timeout) {
        if (outbox.claimFirstPing()) {
            pingers.execute(() -> outbox.ping(PING));
        } else if (outbox.openFor(now).compareTo(timeout) > 0 && outbox.giveUp()) {
            LOG.log(Level.DEBUG, "Session {0}: no answer to the first ping; closing it", outbox.sessionId());
            EchoStats.instance().idleTimeout();
            closers.execute(() -> outbox.close(new CloseReason(CloseCodes.GOING_AWAY,
                    "No answer to the first ping within " + timeout.toMillis() + " ms")));
        }
    }

    private record Stalled(Outbox outbox, long startedNanos) {
    }

    @Override
    public void close() {
        clock.shutdownNow();
        pingers.shutdownNow();
        closers.shutdownNow();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
