package dev.websocketecho.api;

import dev.websocketecho.session.SessionRegistry;
import dev.websocketecho.stats.EchoStats;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /api/stats}: the open and total sessions, the echo counters and the connections the server refused or
 * closed to protect itself, as JSON.
 */
@WebServlet("/api/stats")
public class StatsServlet extends HttpServlet {

    private final SessionRegistry registry = SessionRegistry.instance();
    private final EchoStats stats = EchoStats.instance();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"openSessions\":" + registry.openSessions()
                + ",\"totalSessions\":" + registry.totalSessions()
                + ",\"messagesIn\":" + stats.messagesIn()
                + ",\"messagesOut\":" + stats.messagesOut()
                + ",\"bytesIn\":" + stats.bytesIn()
                + ",\"bytesOut\":" + stats.bytesOut()
                + ",\"refusedConnections\":" + stats.refusedConnections()
                + ",\"idleTimeouts\":" + stats.idleTimeouts()
                + ",\"sendTimeouts\":" + stats.sendTimeouts()
                + "}\n");
    }
}
