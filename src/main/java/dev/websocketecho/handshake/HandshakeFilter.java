package dev.websocketecho.handshake;

import dev.websocketecho.app.Deployment;
import dev.websocketecho.handshake.HandshakeRules.Verdict;
import dev.websocketecho.limits.Admission;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

/**
 * Applies the {@link HandshakeRules} to a WebSocket handshake before the container upgrades the connection, and answers
 * a refused one with an HTTP status: 426 with the version this server speaks (RFC 6455 section 4.4), 400 for an invalid
 * topic name, 403 for a foreign origin, 503 with {@code Retry-After} over a connection cap. Containers run the
 * application's filters before their WebSocket upgrade, except Jetty (jetty/jetty.project#10433).
 * <p>
 * A filter, unlike the endpoint's configurator, sees the peer's address (jakartaee/websocket#255) and the {@code Host}
 * header. The connection it counts is handed to the configurator through {@link #takeAdmission()}: containers call
 * the configurator on the thread that runs this filter, while the handshake is being answered. If the handshake does
 * not end in an upgrade, or the configurator did not take the admission, it is given back here.
 */
@WebFilter(urlPatterns = {"/echo", "/topics/*"}, asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    /** The one hand-over between filter and configurator that the WebSocket API leaves no other way for. */
    private static final ThreadLocal<Admission> ADMITTED = new ThreadLocal<>();

    private HandshakeRules rules;

    /** The admission of the handshake this thread is answering, if this filter judged it. */
    public static Admission takeAdmission() {
        Admission admission = ADMITTED.get();
        ADMITTED.remove();
        return admission;
    }

    @Override
    public void init() {
        rules = new HandshakeRules(Deployment.of(getServletContext()));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Verdict verdict = rules.judge(request.getHeader("Sec-WebSocket-Version"), HandshakeRules.topicOf(path),
                Collections.list(request.getHeaders("Origin")), request.getHeader("Host"), request.getRemoteAddr());
        if (!verdict.granted()) {
            refuse(response, verdict);
            return;
        }
        ADMITTED.set(verdict.admission());
        try {
            chain.doFilter(request, response);
        } finally {
            // Not taken: the container called the configurator on another thread, which then counted the connection.
            boolean taken = ADMITTED.get() == null;
            ADMITTED.remove();
            if (!taken || response.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
                verdict.admission().release();
            }
        }
    }

    private static void refuse(HttpServletResponse response, Verdict verdict) throws IOException {
        switch (verdict.refusal()) {
            case UNSUPPORTED_VERSION -> {
                response.setStatus(426);
                response.setHeader("Sec-WebSocket-Version", HandshakeRules.SUPPORTED_VERSION);
                response.setHeader("Upgrade", "websocket");
            }
            case INVALID_TOPIC -> response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            case FOREIGN_ORIGIN -> response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            case OVER_CAP -> {
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                response.setHeader("Retry-After", "10");
            }
        }
        String advice = verdict.refusal() == HandshakeRules.Refusal.OVER_CAP ? "; try again later" : "";
        byte[] body = (verdict.reason() + advice + ".\n").getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
