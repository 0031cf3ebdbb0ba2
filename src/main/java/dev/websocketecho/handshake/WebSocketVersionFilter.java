package dev.websocketecho.handshake;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Answers a WebSocket handshake for any version but 13 (RFC 6455) with 426 and the version this server speaks, as
 * RFC 6455 section 4.4 asks. Containers differ here: some still accept drafts of the protocol, others answer 400 or 404.
 */
@WebFilter(urlPatterns = "/echo", asyncSupported = true)
public class WebSocketVersionFilter extends HttpFilter {

    static final String SUPPORTED_VERSION = "13";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String version = request.getHeader("Sec-WebSocket-Version");
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && (version == null || !SUPPORTED_VERSION.equals(version.trim()))) {
            response.setStatus(426);
            response.setHeader("Sec-WebSocket-Version", SUPPORTED_VERSION);
            response.setHeader("Upgrade", "websocket");
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("This server speaks WebSocket version " + SUPPORTED_VERSION + " only.\n");
            return;
        }
        chain.doFilter(request, response);
    }
}
