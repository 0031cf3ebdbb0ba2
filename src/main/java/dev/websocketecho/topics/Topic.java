package dev.websocketecho.topics;

import dev.websocketecho.message.Message;
import dev.websocketecho.session.Connection;
import dev.websocketecho.session.Workers;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One topic's subscribers, and how its messages are written to them.
 * <p>
 * The publisher's thread queues each message for every subscriber, in the order it publishes them, and so pays for
 * the queueing itself. A topic of a few subscribers is then written by that thread too: handing the writes to other
 * threads would cost more than the writes. A larger one is written by a pass of all the delivery threads of the
 * {@link Workers} together, so that one publish is written by every core rather than by the one thread that read it.
 * The threads of a pass take the subscribers in small batches from one list until none is left, so that none of
 * them falls behind the others for long, and each writes everything queued for the subscribers it takes. A topic has
 * at most one pass waiting to begin, however fast messages come.
 */
final class Topic {

    private static final Logger LOG = System.getLogger(Topic.class.getName());
    /** From this many subscribers on, the delivery threads write the topic's messages rather than the publisher's. */
    private static final int PASSES_FROM_SUBSCRIBERS = 64;
    /** How many subscribers a delivery thread takes at a time: few enough to share the work out evenly. */
    private static final int BATCH = 16;

    private final Workers workers;
    private final Set<Connection> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean passWaiting = new AtomicBoolean();

    Topic(Workers workers) {
        this.workers = workers;
    }

    void add(Connection subscriber) {
        subscribers.add(subscriber);
    }

    void remove(Connection subscriber) {
        subscribers.remove(subscriber);
    }

    int size() {
        return subscribers.size();
    }

    boolean isEmpty() {
        return subscribers.isEmpty();
    }

    /**
     * Queues the message for every subscriber and has it written to each.
     *
     * @return how many subscribers it was queued for
     */
    int deliver(Message<?> message, long maxQueuedBytes) {
        boolean byPass = size() >= PASSES_FROM_SUBSCRIBERS;
        int queued = 0;
        for (Connection subscriber : subscribers) {
            boolean taken = byPass ? subscriber.enqueue(message, maxQueuedBytes)
                    : subscriber.deliver(message, maxQueuedBytes);
            if (taken) {
                queued++;
            }
        }
        if (byPass && passWaiting.compareAndSet(false, true)) {
            workers.onEveryDeliveryThread(new Pass());
        }
        return queued;
    }

    /**
     * One pass of the delivery threads over the subscribers. The first thread to begin it clears the topic's flag and
     * only then lists the subscribers, so the pass writes every message queued before a publisher found the flag set,
     * to every subscriber it was queued for.
     */
    private final class Pass implements Runnable {

        private final AtomicInteger next = new AtomicInteger();
        private Connection[] listed;

        @Override
        public void run() {
            Connection[] all = begin();
            for (int from = next.getAndAdd(BATCH); from < all.length; from = next.getAndAdd(BATCH)) {
                for (int i = from; i < Math.min(from + BATCH, all.length); i++) {
                    write(all[i]);
                }
            }
        }

        /** One subscriber's failure must not keep the rest of the batch from being written. */
        private void write(Connection subscriber) {
            try {
                subscriber.writeQueued();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Writing to a subscriber failed", e);
            }
        }

        private synchronized Connection[] begin() {
            if (listed == null) {
                passWaiting.set(false);
                listed = subscribers.toArray(new Connection[0]);
            }
            return listed;
        }
    }
}
