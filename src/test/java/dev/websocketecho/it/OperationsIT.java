package dev.websocketecho.it;

import dev.websocketecho.testing.EchoClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a proxy and a monitoring system ask of an instance: its health, its metrics, its cluster's counters. */
class OperationsIT extends DeployedWar {

    private static final Pattern SAMPLE = Pattern.compile("websocket_echo_[a-z_]+ \\d+");

    @Test
    void healthIsUpWhileTheApplicationServes() {
        HttpResponse<String> health = get("api/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\"}", health.body().trim());
        assertTrue(health.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void metricsAreThePrometheusTextFormatOfTheCounters() throws Exception {
        long before = metric("websocket_echo_messages_in_total");
        try (EchoClient client = EchoClient.connect(echoUri())) {
            client.sendText("counted");
            assertEquals("counted", client.nextText());
        }
        HttpResponse<String> metrics = get("api/metrics");
        assertEquals(200, metrics.statusCode());
        // Tomcat writes the parameters without the spaces; both are the same media type.
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").replace(" ", "")
                .startsWith("text/plain;version=0.0.4"), metrics.headers().toString());
        List<String> lines = metrics.body().lines().toList();
        for (int i = 0; i < lines.size(); i += 2) {
            assertTrue(lines.get(i).matches("# TYPE websocket_echo_[a-z_]+ (counter|gauge)"), lines.get(i));
            assertTrue(SAMPLE.matcher(lines.get(i + 1)).matches(), lines.get(i + 1));
            assertEquals(lines.get(i).split(" ")[2], lines.get(i + 1).split(" ")[0]);
        }
        assertTrue(metrics.body().contains("# TYPE websocket_echo_open_sessions gauge\n"));
        assertTrue(metric("websocket_echo_messages_in_total") > before);
    }

    @Test
    void anInstanceAloneIsAClusterOfOne() {
        HttpResponse<String> cluster = get("api/stats?scope=cluster");
        assertEquals(200, cluster.statusCode());
        assertTrue(cluster.body().startsWith("{\"members\":1,\"openSessions\":"), cluster.body());
        assertEquals(400, get("api/stats?scope=galaxy").statusCode());
    }

    private long metric(String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(get("api/metrics").body());
        assertTrue(matcher.find(), name);
        return Long.parseLong(matcher.group(1));
    }
}
