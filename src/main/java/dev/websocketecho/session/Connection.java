package dev.websocketecho.session;

import dev.websocketecho.limits.Admission;
import dev.websocketecho.message.Message;
import dev.websocketecho.stats.EchoStats;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One open connection as the server sees it: its session's single sender, with a deadline on every send; when its
 * peer was last heard from; whether the server has given up on it; its place under the connection caps; and its
 * closing.
 * <p>
 * Containers throw {@code IllegalStateException} when two threads write to one session at
 * once, and a send to a peer that stopped reading can wait forever; so sends here take turns (first come, first
 * served) and each one, waiting for its turn included, is bounded by the send timeout. A session whose peer does not
 * take a message within that time is closed with 1008, and so is one whose send stalls while too many others already
 * do (see {@link SendWatchdog}); a send gives up as soon as its session is given up, so that the container's thread it
 * holds is free again. Pings take the same turns, so they never cut into a message.
 * <p>
 * A send that fails means the connection is gone: the session is closed and so forgotten, because Tyrus on Grizzly
 * (Payara, GlassFish) never reports a connection that its peer left while the handshake was still being completed.
 * <p>
 * When the peer was last heard from, and whether it has been heard at all, are for the {@link Heartbeat}; when the
 * send in progress began is for the {@link SendWatchdog}.
 */
public final class Connection {

    private static final Logger LOG = System.getLogger(Connection.class.getName());
    /** How often a waiting send looks whether its session was given up meanwhile. */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final CloseReason LOST = new CloseReason(CloseCodes.GOING_AWAY, "Connection lost");

    private final Session session;
    private final Duration sendTimeout;
    private final Admission admission;
    private final EchoStats stats;
    /** Where a subscriber is closed: some containers' close waits for the write in progress, for up to its timeout. */
    private final Executor closers;
    /** The turn to write: a semaphore, not a lock, because an asynchronous delivery ends on another thread. */
    private final Semaphore turn = new Semaphore(1, true);
    private final AtomicBoolean pingPending = new AtomicBoolean();
    private final AtomicBoolean givenUp = new AtomicBoolean();
    private volatile long givenUpNanos;
    private final long openedNanos = System.nanoTime();
    private volatile long lastHeardNanos = openedNanos;
    /** Touched by the heartbeat's clock thread only. */
    private boolean firstPingSent;
    /** When the send in progress began, or 0 when none is. */
    private volatile long sendStartedNanos;
    /** Whether the send in progress holds the thread that started it, as an echo and a ping do and a delivery not. */
    private volatile boolean sendHoldsThread;
    /** A subscriber's messages on their way, in order, and their bytes, the one being written included. */
    private final Queue<Message<?>> deliveries = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger pumpRequests = new AtomicInteger();
    private final List<Runnable> onRemoval = new CopyOnWriteArrayList<>();
    private volatile boolean released;

    Connection(Session session, Duration sendTimeout, Admission admission, EchoStats stats, Executor closers) {
        this.session = session;
        this.sendTimeout = sendTimeout;
        this.admission = admission;
        this.stats = stats;
        this.closers = closers;
    }

    /** @return whether the whole message was written before the send timeout */
    public boolean sendText(String text) {
        return send(() -> session.getAsyncRemote().sendText(text));
    }

    /** @return whether the whole message was written before the send timeout */
    public boolean sendBinary(ByteBuffer data) {
        return send(() -> session.getAsyncRemote().sendBinary(data));
    }

    /** The peer sent something: a part of a message or a pong. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    /**
     * Closes the session with the given reason unless it is closed already. The close handshake is bounded too: some
     * containers wait for the peer's answer to a close frame until their idle timeout, which is set to the send timeout
     * for that, and a session still not reported closed after that is forgotten by the {@link Heartbeat}.
     */
    public void close(CloseReason reason) {
        if (!session.isOpen()) {
            return;
        }
        giveUp();
        boundCloseHandshake();
        try {
            session.close(reason);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "Closing session {0} failed: {1}", session.getId(), String.valueOf(e));
        }
    }

    /**
     * Payara 7.2026.8 and newer may refuse to schedule Tyrus' idle timer from a thread of the application's own, as
     * the heartbeat's and the closers' are (payara/Payara#8385): the session is closed all the same, and Tyrus does
     * not wait for the peer's answer to a close frame anyway.
     */
    private void boundCloseHandshake() {
        try {
            session.setMaxIdleTimeout(sendTimeout.toMillis());
        } catch (IllegalStateException e) {
            LOG.log(Level.DEBUG, "Session {0}: no idle timeout for its close: {1}", session.getId(),
                    String.valueOf(e));
        }
    }

    private boolean send(Supplier<Future<Void>> write) {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        try {
            if (!turn.tryAcquire(sendTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                closeForSendTimeout();
                return false;
            }
            try {
                if (!session.isOpen()) {
                    return false;
                }
                sendHoldsThread = true;
                sendStartedNanos = System.nanoTime();
                if (!awaitWritten(write.get(), deadline)) {
                    return false;
                }
                // A peer that took a whole message is there, however long it took: only the send timeout judges that.
                heard();
                return true;
            } finally {
                sendStartedNanos = 0;
                turn.release();
                writeQueued();
            }
        } catch (TimeoutException e) {
            closeForSendTimeout();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "Send to session {0} failed: {1}", session.getId(), String.valueOf(e));
            if (giveUp()) {
                close(LOST);
            }
            return false;
        }
    }

    /** @return whether the write completed, false when the session was given up while it waited */
    private boolean awaitWritten(Future<Void> written, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                written.get(Math.min(left, CHECK_NANOS), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException notYet) {
                if (givenUp.get()) {
                    return false;
                }
            }
        }
    }

    /** Whether the peer has sent anything at all since the session opened: a message, a part of one or a pong. */
    boolean heardSinceOpen() {
        return lastHeardNanos != openedNanos;
    }

    /** Whether this is the first call: the session is then to be pinged as it opens. */
    boolean claimFirstPing() {
        if (firstPingSent) {
            return false;
        }
        firstPingSent = true;
        return claimPing();
    }

    Duration openFor(long nowNanos) {
        return Duration.ofNanos(nowNanos - openedNanos);
    }

    /** Whether a ping may be queued for this session: one at a time, so that pings never pile up. */
    boolean claimPing() {
        return pingPending.compareAndSet(false, true);
    }

    /**
     * Sends the ping claimed before, unless a message is on its way: the peer then has frames to take already, and a
     * peer that does not take them is closed by the send timeout.
     */
    void ping(byte[] payload) {
        try {
            if (!turn.tryAcquire()) {
                return;
            }
            sendHoldsThread = true;
            sendStartedNanos = System.nanoTime();
            try {
                if (session.isOpen()) {
                    // A buffer of its own each time: Open Liberty masks the payload in place.
                    session.getAsyncRemote().sendPing(ByteBuffer.wrap(payload.clone()));
                }
            } finally {
                sendStartedNanos = 0;
                turn.release();
                writeQueued();
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.DEBUG, "Ping to session {0} failed: {1}", session.getId(), String.valueOf(e));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ping to session " + session.getId() + " failed", e);
        } finally {
            pingPending.set(false);
        }
    }

    /**
     * Whether a send has been running for longer than the send timeout. Some containers block in
     * {@code sendPing}, or even in an asynchronous send, while the peer does not read, where no timeout of ours can
     * reach; closing the session ends such a send.
     */
    boolean sendStuck(long nowNanos) {
        long started = sendStartedNanos;
        return started != 0 && nowNanos - started > sendTimeout.toNanos();
    }

    /** Whether the server has given up on this session, which is closing or closed. */
    public boolean givenUp() {
        return givenUp.get();
    }

    /** When the send in progress began, or 0 when none is. */
    long sendStartedNanos() {
        return sendStartedNanos;
    }

    /** Closes the session, whose peer was not heard from in time: the caller has given it up. */
    void closeForIdleTimeout(CloseReason reason) {
        stats.idleTimeout();
        close(reason);
    }

    /** Closes the session, whose send has stalled for {@code stall} while {@code others} other sends stalled too. */
    void closeStalled(Duration stall, int others) {
        if (giveUp()) {
            stats.sendTimeout();
            LOG.log(Level.WARNING, "Session {0} has not taken a message for {1} ms while {2} other peers did not "
                    + "read either; closing it", session.getId(), stall.toMillis(), others);
            close(new CloseReason(CloseCodes.VIOLATED_POLICY, "Send stalled for over " + stall.toMillis()
                    + " ms while too many other peers were not reading"));
        }
    }

    /**
     * Whether a message or a ping is on its way. While the server waits for the peer to take it, the container
     * reads nothing more from the peer, so silence then says nothing about the peer.
     */
    boolean busy() {
        return turn.availablePermits() == 0;
    }

    Duration silentFor(long nowNanos) {
        return Duration.ofNanos(nowNanos - lastHeardNanos);
    }

    /** Whether the server has not given up on this session yet; the first caller to give it up is told so. */
    boolean giveUp() {
        if (!givenUp.compareAndSet(false, true)) {
            return false;
        }
        givenUpNanos = System.nanoTime();
        return true;
    }

    /**
     * Whether the server gave up on this session and closed it longer ago than the send timeout. Open Liberty and
     * Tomcat 10.0 wait for the peer's answer to a close frame for ever, and report the session closed only then.
     */
    boolean closingTooLong(long nowNanos) {
        return givenUp.get() && nowNanos - givenUpNanos > sendTimeout.toNanos();
    }

    /** Runs {@code action} once the session is removed from the registry, however it ended (at once if it is). */
    public void onRemoval(Runnable action) {
        onRemoval.add(action);
        if (released) {
            action.run();
        }
    }

    /** The session is removed: it is no longer counted against the connection caps, nor subscribed to anything. */
    void release() {
        if (admission != null) {
            admission.release();
        }
        released = true;
        onRemoval.forEach(Runnable::run);
        deliveries.clear();
    }

    /**
     * Queues a message for this subscriber and returns at once: the messages are written one after another, each as
     * the one before it is out, without holding any thread while the peer takes them. A subscriber that has more than
     * {@code maxQueuedBytes} waiting is closed with 1008 instead, so that it can neither hold back the publisher nor
     * make the server hold more than that for it.
     *
     * @return whether the message was queued
     */
    public boolean deliver(Message<?> message, long maxQueuedBytes) {
        if (!enqueue(message, maxQueuedBytes)) {
            return false;
        }
        pumpDeliveries();
        return true;
    }

    /**
     * Queues a message as {@link #deliver} does, but leaves its writing to a later {@link #writeQueued}, so that
     * another thread can write it.
     *
     * @return whether the message was queued
     */
    public boolean enqueue(Message<?> message, long maxQueuedBytes) {
        if (givenUp.get()) {
            return false;
        }
        if (queuedBytes.addAndGet(message.bytes()) > maxQueuedBytes) {
            queuedBytes.addAndGet(-message.bytes());
            closeTooSlow(maxQueuedBytes);
            return false;
        }
        deliveries.add(message);
        return true;
    }

    /** Starts writing what is queued, unless a delivery is on its way already: its end starts the next one. */
    public void writeQueued() {
        if (!deliveries.isEmpty()) {
            pumpDeliveries();
        }
    }

    /**
     * Starts the next delivery when the turn is free. One thread at a time runs the loop; a call while it runs makes
     * it look again, so that a delivery that completes on the thread that started it continues the loop instead of
     * growing the stack.
     */
    private void pumpDeliveries() {
        if (pumpRequests.getAndIncrement() != 0) {
            return;
        }
        do {
            if (!deliveries.isEmpty() && !givenUp.get() && turn.tryAcquire()) {
                Message<?> next = deliveries.poll();
                if (next == null) {
                    turn.release();
                } else {
                    startDelivery(next);
                }
            }
        } while (pumpRequests.decrementAndGet() != 0);
    }

    private void startDelivery(Message<?> message) {
        sendHoldsThread = false;
        sendStartedNanos = System.nanoTime();
        SendHandler delivered = result -> {
            endDelivery(message);
            if (result.isOK()) {
                stats.delivered();
                heard();
                pumpDeliveries();
            } else {
                lost(result.getException());
            }
        };
        try {
            if (message.payload() instanceof ByteBuffer bytes) {
                // A view of its own: every subscriber reads the same bytes from its own position.
                session.getAsyncRemote().sendBinary(bytes.duplicate(), delivered);
            } else {
                session.getAsyncRemote().sendText((String) message.payload(), delivered);
            }
        } catch (IllegalStateException e) {
            endDelivery(message);
            lost(e);
        }
    }

    private void endDelivery(Message<?> message) {
        sendStartedNanos = 0;
        queuedBytes.addAndGet(-message.bytes());
        turn.release();
    }

    private void lost(Throwable failure) {
        LOG.log(Level.DEBUG, "Delivery to session {0} failed: {1}", session.getId(), String.valueOf(failure));
        if (giveUp()) {
            closers.execute(() -> close(LOST));
        }
    }

    private void closeTooSlow(long maxQueuedBytes) {
        if (giveUp()) {
            stats.subscriberTooSlow();
            LOG.log(Level.INFO, "Session {0} has more than {1} bytes waiting; closing it", session.getId(),
                    maxQueuedBytes);
            CloseReason tooSlow = new CloseReason(CloseCodes.VIOLATED_POLICY,
                    "Too slow: more than " + maxQueuedBytes + " bytes queued");
            closers.execute(() -> close(tooSlow));
        }
    }

    /** Whether the send in progress holds a thread: only those count against {@code echo.maxStalledSends}. */
    boolean sendHoldsThread() {
        return sendHoldsThread;
    }

    String sessionId() {
        return session.getId();
    }

    /** Closes the session for the send timeout, unless the server has given up on it already. */
    void closeForSendTimeout() {
        if (giveUp()) {
            stats.sendTimeout();
            LOG.log(Level.WARNING, "Session {0} did not take a message within {1} ms; closing it",
                    session.getId(), sendTimeout.toMillis());
            close(new CloseReason(CloseCodes.VIOLATED_POLICY,
                    "Send timed out after " + sendTimeout.toMillis() + " ms"));
        }
    }
}
