package dev.websocketecho.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one way out to a session. Containers throw {@code IllegalStateException} when two threads write to one session at
 * once, and a send to a peer that stopped reading can wait forever; so sends here take turns (first come, first
 * served) and each one, waiting for its turn included, is bounded by the send timeout. A session whose peer does not
 * take a message within that time is closed with 1008.
 */
public final class Outbox {

    private static final Logger LOG = System.getLogger(Outbox.class.getName());

    private final Session session;
    private final Duration sendTimeout;
    private final ReentrantLock turn = new ReentrantLock(true);

    Outbox(Session session, Duration sendTimeout) {
        this.session = session;
        this.sendTimeout = sendTimeout;
    }

    /** @return whether the whole message was written before the send timeout */
    public boolean sendText(String text) {
        return send(() -> session.getAsyncRemote().sendText(text));
    }

    /** @return whether the whole message was written before the send timeout */
    public boolean sendBinary(ByteBuffer data) {
        return send(() -> session.getAsyncRemote().sendBinary(data));
    }

    private boolean send(Supplier<Future<Void>> write) {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        try {
            if (!turn.tryLock(sendTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return timedOut();
            }
            try {
                if (!session.isOpen()) {
                    return false;
                }
                write.get().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                return true;
            } finally {
                turn.unlock();
            }
        } catch (TimeoutException e) {
            return timedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | IllegalStateException e) {
            // The peer went away while we wrote; the container reports that through @OnClose or @OnError.
            LOG.log(Level.DEBUG, "Send to session {0} failed: {1}", session.getId(), String.valueOf(e));
            return false;
        }
    }

    /** Closes the session with the given reason unless it is closed already. */
    public void close(CloseReason reason) {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.close(reason);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "Closing session {0} failed: {1}", session.getId(), String.valueOf(e));
        }
    }

    private boolean timedOut() {
        LOG.log(Level.WARNING, "Session {0} did not take a message within {1} ms; closing it",
                session.getId(), sendTimeout.toMillis());
        close(new CloseReason(CloseCodes.VIOLATED_POLICY, "Send timed out after " + sendTimeout.toMillis() + " ms"));
        return false;
    }
}
