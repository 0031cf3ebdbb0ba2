package dev.websocketecho.session;

import dev.websocketecho.limits.ConnectionLimits;
import dev.websocketecho.stats.EchoStats;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectionTest {

    /**
     * Payara 7.2026.8 and newer may throw from {@code setMaxIdleTimeout} on a thread of the application's own
     * (payara/Payara#8385), as the heartbeat's and the closers' are: the session is closed all the same.
     */
    @Test
    void closesTheSessionWhenItsCloseHandshakeCannotBeBounded() {
        List<CloseReason> closes = new CopyOnWriteArrayList<>();
        Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> closes.isEmpty();
                    case "getId" -> "refusing-scheduler";
                    case "setMaxIdleTimeout" -> throw new IllegalStateException(
                            "No application code is executing. Cannot determine current application scope");
                    case "close" -> closes.add((CloseReason) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Connection connection = new Connection(session, Duration.ofSeconds(1),
                new ConnectionLimits(1, 1).admit(null), new EchoStats(), Runnable::run);
        CloseReason idle = new CloseReason(CloseCodes.GOING_AWAY, "Idle timeout");

        connection.close(idle);

        assertEquals(List.of(idle), closes);
    }
}
