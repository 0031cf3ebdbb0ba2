package dev.websocketecho.cluster;

import dev.websocketecho.message.Message;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The instances this one shares its topics and counters with, over a data grid. The rest of the application sees the
 * grid only through this type, so that its classes are loaded only where the container has one
 * ({@link ClusterDetection}).
 */
public interface Cluster extends AutoCloseable {

    /**
     * Hands the message to the grid, which gives it to every member, this one included, in one order for all: each
     * member delivers it to its own subscribers of the topic. Returns once the grid holds the message, so that
     * messages published one after another reach every member in that order, whichever member took each.
     *
     * @return whether the grid took the message within {@code timeout}; when not, why is logged
     */
    boolean publish(String topic, Message<?> message, Duration timeout);

    /** Shares this member's counters with the others, without waiting for the grid. */
    void share(Map<String, Long> counters);

    /** The counters each live member shared last, this one's included; a member that left is not among them. */
    List<Map<String, Long>> memberCounters(Duration timeout);

    /** Which grid this is and who is in it, for the log. */
    String describe();

    /** Stops listening to the grid; the container owns the grid itself. */
    @Override
    void close();
}
