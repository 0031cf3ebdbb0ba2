package dev.websocketecho.limits;

import dev.websocketecho.config.EchoSettings;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the concurrent connections, in total and per remote address, so that one host cannot take every connection
 * the server can hold. A connection is counted from its handshake until its session ends; each count is taken and
 * given back in one atomic step, so concurrent handshakes never overshoot a cap.
 */
public final class ConnectionLimits {

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    public static ConnectionLimits of(EchoSettings settings) {
        return new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerAddress());
    }

    /**
     * Counts a new connection from {@code address}, or refuses it when a cap is reached.
     *
     * @param address the peer's IP address, or {@code null} when the container does not tell it: then only the total
     *                cap applies
     */
    public Admission admit(String address) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            return Admission.refused("The server holds its maximum of " + maxConnections + " connections");
        }
        if (address != null) {
            AtomicBoolean counted = new AtomicBoolean();
            perAddress.compute(address, (key, count) -> {
                int current = count == null ? 0 : count;
                if (current >= maxPerAddress) {
                    return count;
                }
                counted.set(true);
                return current + 1;
            });
            if (!counted.get()) {
                connections.decrementAndGet();
                return Admission.refused("Address " + address + " holds its maximum of " + maxPerAddress
                        + " connections");
            }
        }
        return new Admission(this, address, null);
    }

    void release(String address) {
        connections.decrementAndGet();
        if (address != null) {
            perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        }
    }

    public int connections() {
        return connections.get();
    }
}
