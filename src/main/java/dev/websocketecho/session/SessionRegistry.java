package dev.websocketecho.session;

import dev.websocketecho.limits.Admission;
import jakarta.websocket.Session;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every open session of this application with its {@link Outbox}. A session is added when it opens and removed when
 * it closes or fails (or, should the container never report that, when the {@link Heartbeat} gives up waiting), so
 * closed sockets never pile up; {@link #openSessions()} makes that observable.
 */
public final class SessionRegistry {

    private static final SessionRegistry INSTANCE = new SessionRegistry();

    private final ConcurrentMap<String, Outbox> open = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    public static SessionRegistry instance() {
        return INSTANCE;
    }

    /** @param admission the session's count against the connection caps, given back when it is removed */
    public Outbox register(Session session, Duration sendTimeout, Admission admission) {
        Outbox outbox = new Outbox(session, sendTimeout, admission);
        open.put(session.getId(), outbox);
        total.increment();
        return outbox;
    }

    /** Idempotent: a session may be reported both failed and closed. */
    public void remove(Session session) {
        Outbox outbox = open.remove(session.getId());
        if (outbox != null) {
            outbox.release();
        }
    }

    /** Removes a session that the server closed but whose container never reports it closed. */
    void forget(Outbox outbox) {
        if (open.remove(outbox.sessionId(), outbox)) {
            outbox.release();
        }
    }

    /** A weakly consistent view: sessions may come and go while it is walked. */
    Collection<Outbox> outboxes() {
        return open.values();
    }

    public int openSessions() {
        return open.size();
    }

    public long totalSessions() {
        return total.sum();
    }
}
