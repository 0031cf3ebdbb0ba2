package dev.websocketecho.session;

import dev.websocketecho.config.EchoSettings;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Pings every open session on an interval and closes those not heard from for longer than the idle timeout. A peer that
 * vanished without a FIN (a pulled cable, a dropped NAT mapping) never makes the container report a close; without
 * this it would stay registered for ever. Such a session is gone at most the idle timeout plus one interval after the
 * peer was last heard. A session with a message on its way is left to the {@link SendWatchdog}.
 * <p>
 * Where new sessions are to be pinged as they open, each one that answers nothing within the first-pong timeout is
 * closed: Tyrus on Grizzly (Payara, GlassFish) loses the close of a peer that leaves while the handshake is being
 * completed (it reaches Tyrus' upgrade handler before its connection exists), so that session would otherwise stay
 * open, and hold its place under the connection caps, for a whole idle timeout. Tyrus also hides that the ping could
 * not be written.
 * <p>
 * It also forgets a session the server closed whose peer never finished the close handshake.
 */
public final class Heartbeat {

    private static final Logger LOG = System.getLogger(Heartbeat.class.getName());
    private static final byte[] PING = "websocket-echo".getBytes(StandardCharsets.US_ASCII);
    /** The longest wait between two looks at the new sessions, and the shortest. */
    private static final Duration NEW_SESSIONS_AT_MOST = Duration.ofMillis(500);
    private static final Duration NEW_SESSIONS_AT_LEAST = Duration.ofMillis(100);

    private final SessionRegistry registry;
    private final Workers workers;
    private final Duration idleTimeout;
    private final Duration firstPongTimeout;
    private final CloseReason idle;
    private final CloseReason noFirstPong;

    private Heartbeat(EchoSettings settings, SessionRegistry registry, Workers workers) {
        this.registry = registry;
        this.workers = workers;
        this.idleTimeout = settings.idleTimeout();
        this.firstPongTimeout = settings.firstPongTimeout();
        this.idle = new CloseReason(CloseCodes.GOING_AWAY,
                "Idle timeout: nothing received for " + idleTimeout.toMillis() + " ms");
        this.noFirstPong = new CloseReason(CloseCodes.GOING_AWAY,
                "No answer to the first ping within " + firstPongTimeout.toMillis() + " ms");
    }

    /**
     * @param pingNewSessions whether each new session is pinged as it opens and closed when it does not answer within
     *                        {@code echo.firstPongTimeoutMillis}; new sessions are then looked at four times within
     *                        that time
     */
    public static void start(EchoSettings settings, boolean pingNewSessions, SessionRegistry registry,
                             Workers workers) {
        Heartbeat heartbeat = new Heartbeat(settings, registry, workers);
        long interval = settings.pingInterval().toNanos();
        workers.clock.scheduleWithFixedDelay(heartbeat::beat, interval, interval, TimeUnit.NANOSECONDS);
        if (pingNewSessions) {
            long look = Math.max(Math.min(settings.firstPongTimeout().toNanos() / 4, NEW_SESSIONS_AT_MOST.toNanos()),
                    NEW_SESSIONS_AT_LEAST.toNanos());
            workers.clock.scheduleWithFixedDelay(heartbeat::pingNewSessions, 0, look, TimeUnit.NANOSECONDS);
        }
    }

    private void beat() {
        try {
            long now = System.nanoTime();
            for (Connection connection : registry.connections()) {
                if (connection.closingTooLong(now)) {
                    LOG.log(Level.INFO, "Session {0} was closed but its peer never finished the close handshake;"
                            + " forgetting it", connection.sessionId());
                    registry.forget(connection);
                    continue;
                }
                if (connection.busy()) {
                    continue;
                }
                if (connection.silentFor(now).compareTo(idleTimeout) <= 0) {
                    if (connection.claimPing()) {
                        workers.pingers.execute(() -> connection.ping(PING));
                    }
                } else if (connection.giveUp()) {
                    LOG.log(Level.INFO, "Session {0}: nothing received for {1} ms; closing it",
                            connection.sessionId(), connection.silentFor(now).toMillis());
                    connection.closeForIdleTimeout(idle);
                }
            }
        } catch (RuntimeException e) {
            // A failure must not end the schedule: the next beat tries again.
            LOG.log(Level.WARNING, "Heartbeat failed", e);
        }
    }

    private void pingNewSessions() {
        try {
            long now = System.nanoTime();
            for (Connection connection : registry.connections()) {
                if (connection.givenUp() || connection.heardSinceOpen()) {
                    continue;
                }
                if (connection.claimFirstPing()) {
                    workers.pingers.execute(() -> connection.ping(PING));
                } else if (connection.openFor(now).compareTo(firstPongTimeout) > 0 && connection.giveUp()) {
                    LOG.log(Level.DEBUG, "Session {0}: no answer to the first ping; closing it",
                            connection.sessionId());
                    workers.closers.execute(() -> connection.closeForIdleTimeout(noFirstPong));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Pinging new sessions failed", e);
        }
    }
}
