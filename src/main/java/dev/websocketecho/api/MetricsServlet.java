package dev.websocketecho.api;

import dev.websocketecho.app.ApplicationServlet;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/metrics}: this instance's counters of {@code /api/stats} in Prometheus' text exposition format, named
 * {@code websocket_echo_} and the counter's name in snake case; those that only grow end in {@code _total}
 * ({@code totalSessions} is {@code websocket_echo_sessions_total}).
 */
@WebServlet("/api/metrics")
public class MetricsServlet extends ApplicationServlet {

    /** The counters that go up and down; every other one only grows. */
    private static final Set<String> GAUGES = Set.of("openSessions", "topics", "subscribers");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(exposition(application().counters()));
    }

    static String exposition(Map<String, Long> counters) {
        StringBuilder text = new StringBuilder();
        counters.forEach((name, value) -> {
            boolean gauge = GAUGES.contains(name);
            // totalSessions is a count of sessions, not a total of totals.
            String base = name.startsWith("total") ? name.substring("total".length()) : name;
            String metric = "websocket_echo_" + snakeCase(base) + (gauge ? "" : "_total");
            text.append("# TYPE ").append(metric).append(gauge ? " gauge\n" : " counter\n")
                    .append(metric).append(' ').append(value).append('\n');
        });
        return text.toString();
    }

    private static String snakeCase(String camelCase) {
        return camelCase.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
