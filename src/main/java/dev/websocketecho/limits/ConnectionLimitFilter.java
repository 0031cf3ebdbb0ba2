package dev.websocketecho.limits;

import dev.websocketecho.stats.EchoStats;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a WebSocket handshake with 503 when a connection cap is reached, before the container upgrades the connection.
 * <p>
 * The Jakarta WebSocket API does not tell an endpoint its peer's address (jakartaee/websocket#255), but a filter sees
 * it. The admission counted here is handed to the endpoint through {@link #takeAdmission()}: containers call the
 * endpoint's configurator on the thread that runs this filter, while the handshake is being answered. If the
 * handshake does not end in an upgrade, or the configurator did not take the admission, it is given back here.
 */
@WebFilter(urlPatterns = "/echo", asyncSupported = true)
public class ConnectionLimitFilter extends HttpFilter {

    private static final Logger LOG = System.getLogger(ConnectionLimitFilter.class.getName());
    private static final ThreadLocal<Admission> HANDSHAKE = new ThreadLocal<>();

    private final ConnectionLimits limits = ConnectionLimits.instance();

    /** The admission of the handshake this thread is answering, if this filter saw it. */
    public static Admission takeAdmission() {
        Admission admission = HANDSHAKE.get();
        HANDSHAKE.remove();
        return admission;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        Admission admission = limits.admit(request.getRemoteAddr());
        if (!admission.granted()) {
            LOG.log(Level.INFO, "Refused a handshake from {0}: {1}", request.getRemoteAddr(), admission.refusal());
            EchoStats.instance().refusedConnection();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "10");
            byte[] body = (admission.refusal() + "; try again later.\n").getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain;charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        HANDSHAKE.set(admission);
        try {
            chain.doFilter(request, response);
        } finally {
            // Not taken: the container called the configurator on another thread, which then counted the connection.
            boolean taken = HANDSHAKE.get() == null;
            HANDSHAKE.remove();
            if (!taken || response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                admission.release();
            }
        }
    }
}
