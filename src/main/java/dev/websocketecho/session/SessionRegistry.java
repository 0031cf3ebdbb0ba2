package dev.websocketecho.session;

import dev.websocketecho.limits.Admission;
import dev.websocketecho.stats.EchoStats;
import jakarta.websocket.Session;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every open session of this application with its {@link Connection}. A session is added when it opens and removed
 * when it closes or fails (or, should the container never report that, when the {@link Heartbeat} gives up waiting),
 * so closed sockets never pile up; {@link #openSessions()} makes that observable.
 */
public final class SessionRegistry {

    private final ConcurrentMap<String, Connection> open = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final Duration sendTimeout;
    private final EchoStats stats;
    private final Workers workers;

    /**
     * @param sendTimeout how long a write to any of its sessions may take
     * @param workers     whose closers close the sessions that must not be closed on the thread that found them
     */
    public SessionRegistry(Duration sendTimeout, EchoStats stats, Workers workers) {
        this.sendTimeout = sendTimeout;
        this.stats = stats;
        this.workers = workers;
    }

    /**
     * @param admission the session's count against the connection caps, given back when it is removed; {@code null}
     *                  for a session refused at its handshake, which holds no place under them
     */
    public Connection register(Session session, Admission admission) {
        Connection connection = new Connection(session, sendTimeout, admission, stats, workers.closers);
        open.put(session.getId(), connection);
        total.increment();
        return connection;
    }

    /** Idempotent: a session may be reported both failed and closed. */
    public void remove(Session session) {
        Connection connection = open.remove(session.getId());
        if (connection != null) {
            connection.release();
        }
    }

    /** Removes a session that the server closed but whose container never reports it closed. */
    void forget(Connection connection) {
        if (open.remove(connection.sessionId(), connection)) {
            connection.release();
        }
    }

    /** A weakly consistent view: sessions may come and go while it is walked. */
    Collection<Connection> connections() {
        return open.values();
    }

    public int openSessions() {
        return open.size();
    }

    public long totalSessions() {
        return total.sum();
    }
}
