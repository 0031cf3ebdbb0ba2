package dev.websocketecho.topics;

import dev.websocketecho.message.Message;
import dev.websocketecho.session.Connection;
import dev.websocketecho.stats.EchoStats;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The topics that have subscribers, each with its subscribers' connections. A topic exists while it has a subscriber:
 * the first one makes it and the last one to leave removes it, so topics nobody listens to leave nothing behind.
 * <p>
 * A message published to a topic is queued for each of its subscribers in the publisher's thread and written to each
 * on its own ({@link Connection#deliver}): the publisher never waits for a subscriber, and one subscriber never waits
 * for another. Messages from one publisher reach each subscriber in the order they were published, because each
 * subscriber's queue is first in, first out.
 */
public final class Topics {

    private final ConcurrentMap<String, Set<Connection>> subscribers = new ConcurrentHashMap<>();
    private final EchoStats stats;
    private final long maxQueuedBytes;

    /** @param maxQueuedBytes how many bytes may wait for one subscriber before it is closed as too slow */
    public Topics(EchoStats stats, long maxQueuedBytes) {
        this.stats = stats;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Subscribes the connection until it is removed from the session registry, however it ends. */
    public void subscribe(String topic, Connection subscriber) {
        subscribers.compute(topic, (name, current) -> {
            Set<Connection> set = current == null ? ConcurrentHashMap.newKeySet() : current;
            set.add(subscriber);
            return set;
        });
        subscriber.onRemoval(() -> unsubscribe(topic, subscriber));
    }

    private void unsubscribe(String topic, Connection subscriber) {
        subscribers.computeIfPresent(topic, (name, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    /** @return how many subscribers the message was queued for */
    public int publish(String topic, Message<?> message) {
        stats.published();
        Set<Connection> set = subscribers.get(topic);
        if (set == null) {
            return 0;
        }
        int queued = 0;
        for (Connection subscriber : set) {
            if (subscriber.deliver(message, maxQueuedBytes)) {
                queued++;
            }
        }
        return queued;
    }

    public boolean hasSubscribers(String topic) {
        return subscribers.containsKey(topic);
    }

    public int topics() {
        return subscribers.size();
    }

    public long subscribers() {
        return subscribers.values().stream().mapToLong(Set::size).sum();
    }
}
