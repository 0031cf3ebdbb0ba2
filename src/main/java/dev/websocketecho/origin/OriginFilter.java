package dev.websocketecho.origin;

import dev.websocketecho.config.EchoSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collections;

/**
 * Refuses a WebSocket handshake from a foreign origin with 403 before the container upgrades the connection. A filter,
 * unlike {@code ServerEndpointConfig.Configurator#checkOrigin}, sees the {@code Host} header, which the same-origin
 * rule needs; containers run the application's own filters before their WebSocket upgrade filter.
 */
@WebFilter(urlPatterns = "/echo", asyncSupported = true)
public class OriginFilter extends HttpFilter {

    private static final Logger LOG = System.getLogger(OriginFilter.class.getName());

    private final OriginPolicy policy = OriginPolicy.of(EchoSettings.current());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        var origins = Collections.list(request.getHeaders("Origin"));
        if (!policy.allowsHandshake(origins, request.getHeader("Host"))) {
            LOG.log(Level.INFO, "Refused a handshake from origin {0} to host {1} (remote {2})",
                    origins, request.getHeader("Host"), request.getRemoteAddr());
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("This origin may not open a WebSocket here.\n");
            return;
        }
        chain.doFilter(request, response);
    }
}
