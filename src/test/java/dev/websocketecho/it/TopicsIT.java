package dev.websocketecho.it;

import dev.websocketecho.testing.TopicChecks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topics on the container, with the default settings: 4 MiB queued per subscriber, no publish token. */
class TopicsIT extends DeployedWar {

    @BeforeEach
    void nothingLeftByOtherTests() {
        TopicChecks.awaitNothingLeft(this);
    }

    @Test
    void deliversToEverySubscriberUnchanged() throws Exception {
        TopicChecks.deliversToEverySubscriberUnchanged(this);
    }

    @Test
    void keepsTopicsApart() throws Exception {
        TopicChecks.keepsTopicsApart(this);
    }

    @Test
    void keepsEachPublishersOrder() throws Exception {
        TopicChecks.keepsEachPublishersOrder(this, 5);
    }

    /** Enough subscribers for the topic's messages to be written by the delivery threads rather than the publisher's. */
    @Test
    void keepsEachPublishersOrderToManySubscribers() throws Exception {
        TopicChecks.keepsEachPublishersOrder(this, 100);
    }

    @Test
    void closesASubscriberThatDoesNotReadWhile40MiBArePublishedAsTooSlow() throws Exception {
        TopicChecks.closesASubscriberThatDoesNotReadAsTooSlow(this, 40L * 1024 * 1024);
    }

    @Test
    void removesSubscribersThatVanish() {
        TopicChecks.removesSubscribersThatVanish(this);
    }

    @Test
    void publishesItsStatsOnceASecond() throws Exception {
        TopicChecks.publishesItsStatsOnceASecond(this);
    }

    @Test
    void refusesAnInvalidTopicName() throws Exception {
        TopicChecks.refusesAnInvalidTopicName(this);
    }

    /** Without {@code echo.publishToken} the publish API is off, so that a fresh server is no open relay. */
    @Test
    void thePublishApiIsOffWithoutAToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        httpBase().resolve("api/topics/news"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer anything-at-all-here")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("echo.publishToken"), response.body());
    }
}
