package dev.websocketecho.topics;

import dev.websocketecho.cluster.Cluster;
import dev.websocketecho.message.Message;
import dev.websocketecho.session.Connection;
import dev.websocketecho.session.Workers;
import dev.websocketecho.stats.EchoStats;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The topics that have subscribers, each with its subscribers' connections. A topic exists while it has a subscriber:
 * the first one makes it and the last one to leave removes it, so topics nobody listens to leave nothing behind.
 * <p>
 * A message published to a topic is queued for each of its subscribers in the publisher's thread and written to each
 * on its own ({@link Connection#deliver}), a large topic's by every core ({@link Topic}): the publisher never waits for
 * a subscriber, and one subscriber never waits for another. Messages from one publisher reach each subscriber in the
 * order they were published, because each subscriber's queue is first in, first out.
 * <p>
 * In a cluster ({@link #relayThrough}) a message is handed to the data grid instead, which gives it back to every
 * member, this one included, in one order for all; each member then queues it for its own subscribers as above. The
 * server's own {@code _stats} topic stays local: each instance publishes its own counters.
 */
public final class Topics {

    private final ConcurrentMap<String, Topic> subscribers = new ConcurrentHashMap<>();
    private final EchoStats stats;
    private final Workers workers;
    private final long maxQueuedBytes;
    private final Duration gridTimeout;
    /** The cluster messages go through, or {@code null} while they stay on this instance. */
    private volatile Cluster cluster;

    /**
     * @param workers        whose delivery threads write a large topic's messages
     * @param maxQueuedBytes how many bytes may wait for one subscriber before it is closed as too slow
     * @param gridTimeout    how long a publisher waits at most for the data grid to take its message, in a cluster
     */
    public Topics(EchoStats stats, Workers workers, long maxQueuedBytes, Duration gridTimeout) {
        this.stats = stats;
        this.workers = workers;
        this.maxQueuedBytes = maxQueuedBytes;
        this.gridTimeout = gridTimeout;
    }

    /** From now on, messages go through the cluster, which hands each one back to {@link #deliver}. */
    public void relayThrough(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Subscribes the connection until it is removed from the session registry, however it ends. */
    public void subscribe(String topic, Connection subscriber) {
        subscribers.compute(topic, (name, current) -> {
            Topic subscribed = current == null ? new Topic(workers) : current;
            subscribed.add(subscriber);
            return subscribed;
        });
        subscriber.onRemoval(() -> unsubscribe(topic, subscriber));
    }

    private void unsubscribe(String topic, Connection subscriber) {
        subscribers.computeIfPresent(topic, (name, subscribed) -> {
            subscribed.remove(subscriber);
            return subscribed.isEmpty() ? null : subscribed;
        });
    }

    /**
     * Publishes the message to the topic's subscribers, on this instance or, in a cluster, on every member: it returns
     * once the data grid holds the message, so that the next message of the same publisher comes after it everywhere.
     *
     * @return how many of this instance's subscribers the message was, or in a cluster will be, queued for
     * @throws NotPublishedException when the data grid did not take the message in time
     */
    public int publish(String topic, Message<?> message) {
        Cluster relay = cluster;
        if (relay == null || TopicName.isReadOnly(topic)) {
            stats.published();
            return deliver(topic, message);
        }
        if (!relay.publish(topic, message, gridTimeout)) {
            throw new NotPublishedException("The data grid did not take the message within " + gridTimeout.toMillis()
                    + " ms");
        }
        stats.published();
        Topic subscribed = subscribers.get(topic);
        return subscribed == null ? 0 : subscribed.size();
    }

    /**
     * Queues the message for each of this instance's subscribers of the topic.
     *
     * @return how many subscribers the message was queued for
     */
    public int deliver(String topic, Message<?> message) {
        Topic subscribed = subscribers.get(topic);
        return subscribed == null ? 0 : subscribed.deliver(message, maxQueuedBytes);
    }

    public boolean hasSubscribers(String topic) {
        return subscribers.containsKey(topic);
    }

    public int topics() {
        return subscribers.size();
    }

    public long subscribers() {
        return subscribers.values().stream().mapToLong(Topic::size).sum();
    }

    /** The data grid did not take a message: the publisher is told, and nothing was delivered anywhere. */
    public static final class NotPublishedException extends RuntimeException {
        NotPublishedException(String message) {
            super(message);
        }
    }
}
