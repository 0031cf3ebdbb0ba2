package dev.websocketecho.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that look after the sessions, for the {@link Heartbeat} and the {@link SendWatchdog}. They are the
 * application's own, as only full Jakarta EE profiles offer managed executors: one keeps time and walks the sessions;
 * two send pings, because some containers write a ping before {@code sendPing} returns; four close sessions, because
 * Open Liberty's {@code close} waits for seconds behind a write the peer does not take.
 */
public final class Workers implements AutoCloseable {

    final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemons("websocket-echo-clock"));
    final ExecutorService pingers = Executors.newFixedThreadPool(2, daemons("websocket-echo-ping"));
    final ExecutorService closers = Executors.newFixedThreadPool(4, daemons("websocket-echo-close"));

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
