package dev.websocketecho.limits;

import java.util.concurrent.atomic.AtomicBoolean;

/** One connection counted by {@link ConnectionLimits}, or the reason it was refused. */
public final class Admission {

    private final ConnectionLimits limits;
    private final String address;
    private final String refusal;
    private final AtomicBoolean released = new AtomicBoolean();

    Admission(ConnectionLimits limits, String address, String refusal) {
        this.limits = limits;
        this.address = address;
        this.refusal = refusal;
    }

    static Admission refused(String reason) {
        return new Admission(null, null, reason);
    }

    public boolean granted() {
        return refusal == null;
    }

    /** Why the connection was refused, for the client; {@code null} when it was admitted. */
    public String refusal() {
        return refusal;
    }

    /** Gives the connection's count back. Idempotent: a session may be reported both failed and closed. */
    public void release() {
        if (granted() && released.compareAndSet(false, true)) {
            limits.release(address);
        }
    }
}
