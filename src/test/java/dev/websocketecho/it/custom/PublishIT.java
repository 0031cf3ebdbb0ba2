package dev.websocketecho.it.custom;

import dev.websocketecho.testing.Container;
import dev.websocketecho.testing.Deviation;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.Payloads;
import dev.websocketecho.testing.TopicChecks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/topics/{topic}} with the publish token that this package's settings give the container
 * ({@code ECHO_PUBLISH_TOKEN}).
 */
class PublishIT extends WithCustomSettings {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private static final String TOKEN = System.getenv("ECHO_PUBLISH_TOKEN");

    @BeforeEach
    void nothingLeftByOtherTests() {
        TopicChecks.awaitNothingLeft(this);
    }

    private HttpResponse<String> publish(String topic, Map<String, String> headers, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(httpBase().resolve("api/topics/" + topic))
                .timeout(Duration.ofSeconds(30)).POST(body);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> publishText(String topic, String text) throws IOException, InterruptedException {
        return publish(topic, Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "text/plain; charset=UTF-8"),
                HttpRequest.BodyPublishers.ofString(text));
    }

    @Test
    void deliversTextAndBinaryToEverySubscriberInTheOrderTheyWerePosted() throws Exception {
        String topic = TopicChecks.freshTopic();
        List<EchoClient> subscribers = List.of(EchoClient.connect(topicUri(topic)), EchoClient.connect(topicUri(topic)));
        try {
            TopicChecks.awaitSubscribers(this, 2);
            HttpResponse<String> first = publishText(topic, Payloads.UNICODE);
            assertEquals(202, first.statusCode(), first.body());
            assertEquals("{\"subscribers\":2}\n", first.body());
            ByteBuffer bytes = Payloads.randomBytes(100_000, 3);
            byte[] body = new byte[bytes.remaining()];
            bytes.duplicate().get(body);
            assertEquals(202, publish(topic, Map.of("Authorization", "bearer " + TOKEN,
                    "Content-Type", "application/octet-stream"), HttpRequest.BodyPublishers.ofByteArray(body))
                    .statusCode());
            for (int i = 0; i < 50; i++) {
                assertEquals(202, publishText(topic, "in order " + i).statusCode());
            }
            for (EchoClient subscriber : subscribers) {
                assertEquals(Payloads.UNICODE, subscriber.nextText());
                assertEquals(bytes, subscriber.nextBinary());
                for (int i = 0; i < 50; i++) {
                    assertEquals("in order " + i, subscriber.nextText());
                }
            }
        } finally {
            subscribers.forEach(EchoClient::close);
        }
        TopicChecks.awaitNothingLeft(this);
    }

    /** Announces a binary body of {@code length} bytes and sends none of it: the answer must not wait for it. */
    private int statusOfAnnouncedBody(long length) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", httpBase().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST " + httpBase().getPath() + "api/topics/news HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + httpBase().getPort() + "\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void refusesAMissingOrWrongTokenWith401() throws Exception {
        for (Map<String, String> headers : List.of(Map.of("Content-Type", "text/plain"),
                Map.of("Content-Type", "text/plain", "Authorization", "Bearer " + TOKEN + "x"),
                Map.of("Content-Type", "text/plain", "Authorization", "Basic " + TOKEN))) {
            HttpResponse<String> response = publish("news", headers, HttpRequest.BodyPublishers.ofString("hi"));
            assertEquals(401, response.statusCode(), headers.toString());
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                    response.headers().toString());
        }
    }

    @Test
    void refusesWhatItCannotPublish() throws Exception {
        long limit = settings().maxMessageBytes();
        Map<String, String> text = Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "text/plain");
        boolean containerRefusesFirst = container().has(Deviation.CONTAINER_REFUSES_LARGE_BODIES)
                && limit + 1 > Container.CONTAINER_BODY_LIMIT;
        assertEquals(containerRefusesFirst ? 400 : 413, statusOfAnnouncedBody(limit + 1),
                "a body announced over the limit, answered unread");
        assertEquals(415, publish("news", Map.of("Authorization", "Bearer " + TOKEN, "Content-Type",
                "application/json"), HttpRequest.BodyPublishers.ofString("{}")).statusCode());
        assertEquals(400, publish("a!b", text, HttpRequest.BodyPublishers.ofString("hi")).statusCode());
        assertEquals(400, publish("x".repeat(65), text, HttpRequest.BodyPublishers.ofString("hi")).statusCode());
        assertEquals(400, publish("news", Map.of("Authorization", "Bearer " + TOKEN, "Content-Type",
                "text/plain; charset=UTF-8"), HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xC3, 0x28}))
                .statusCode(), "invalid UTF-8");
        assertEquals(403, publish("_stats", text, HttpRequest.BodyPublishers.ofString("hi")).statusCode());
    }
}
