package dev.websocketecho.push;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.testing.EmbeddedEchoServer;
import dev.websocketecho.testing.TestSettings;
import dev.websocketecho.testing.TopicChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Topics on Tyrus' embedded server: messages of at most 64 KiB, 256 KiB queued per subscriber. */
class TopicsTest {

    private static EmbeddedEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedEchoServer.start(TestSettings.with(
                EchoSettings.MAX_MESSAGE_BYTES, "65536",
                EchoSettings.MAX_QUEUED_BYTES, "262144"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void nothingLeftByOtherTests() {
        TopicChecks.awaitNothingLeft(server);
    }

    @Test
    void deliversToEverySubscriberUnchanged() throws Exception {
        TopicChecks.deliversToEverySubscriberUnchanged(server);
    }

    @Test
    void keepsTopicsApart() throws Exception {
        TopicChecks.keepsTopicsApart(server);
    }

    @Test
    void keepsEachPublishersOrder() throws Exception {
        TopicChecks.keepsEachPublishersOrder(server, 5);
    }

    /** Enough subscribers for the topic's messages to be written by the delivery threads rather than the publisher's. */
    @Test
    void keepsEachPublishersOrderToManySubscribers() throws Exception {
        TopicChecks.keepsEachPublishersOrder(server, 100);
    }

    @Test
    void closesASubscriberThatDoesNotReadAsTooSlow() throws Exception {
        TopicChecks.closesASubscriberThatDoesNotReadAsTooSlow(server, 4L * 1024 * 1024);
    }

    @Test
    void removesSubscribersThatVanish() {
        TopicChecks.removesSubscribersThatVanish(server);
    }

    @Test
    void publishesItsStatsOnceASecond() throws Exception {
        TopicChecks.publishesItsStatsOnceASecond(server);
    }

    @Test
    void refusesAnInvalidTopicName() throws Exception {
        TopicChecks.refusesAnInvalidTopicName(server);
    }
}
