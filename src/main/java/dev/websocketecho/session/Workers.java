package dev.websocketecho.session;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that look after the sessions, for the {@link Heartbeat}, the {@link SendWatchdog}, the topics and the
 * application's other timed work. They are the
 * application's own, as only full Jakarta EE profiles offer managed executors: one keeps time and walks the sessions;
 * two send pings, because some containers write a ping before {@code sendPing} returns; four close sessions, because
 * Open Liberty's {@code close} waits for seconds behind a write the peer does not take; and one delivery thread per
 * processor writes the messages of large topics to their subscribers, so that a publish is written by every core
 * rather than by the one thread that read it.
 */
public final class Workers implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Workers.class.getName());

    final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemons("websocket-echo-clock"));
    final ExecutorService pingers = Executors.newFixedThreadPool(2, daemons("websocket-echo-ping"));
    final ExecutorService closers = Executors.newFixedThreadPool(4, daemons("websocket-echo-close"));
    private final int deliveryThreads = Runtime.getRuntime().availableProcessors();
    private final ExecutorService deliverers = Executors.newFixedThreadPool(deliveryThreads,
            daemons("websocket-echo-deliver"));

    /**
     * Hands {@code task} to the delivery threads as many times as there are of them, for a task that shares its work
     * out among whichever of them run it. Once the workers are closed, it runs nothing.
     */
    public void onEveryDeliveryThread(Runnable task) {
        try {
            for (int i = 0; i < deliveryThreads; i++) {
                deliverers.execute(task);
            }
        } catch (RejectedExecutionException closed) {
            LOG.log(Level.DEBUG, "The delivery threads are closed");
        }
    }

    /** Runs {@code task} every {@code period} on the clock; a failure is logged and the next run comes all the same. */
    public void repeat(String name, Runnable task, Duration period) {
        clock.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, name + " failed", e);
            }
        }, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        clock.shutdownNow();
        pingers.shutdownNow();
        closers.shutdownNow();
        deliverers.shutdownNow();
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
