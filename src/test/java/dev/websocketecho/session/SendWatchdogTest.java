package dev.websocketecho.session;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.testing.EmbeddedEchoServer;
import dev.websocketecho.testing.SlowPeers;
import dev.websocketecho.testing.TestSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The send timeout and the bound on stalled sends, on Tyrus' embedded server: a 3 s send timeout, 2 stalled sends. */
class SendWatchdogTest {

    private static EmbeddedEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedEchoServer.start(TestSettings.with(
                EchoSettings.SEND_TIMEOUT_MILLIS, "3000",
                EchoSettings.MAX_STALLED_SENDS, "2"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        server.awaitNoOpenSessions();
    }

    @Test
    void closesAPeerThatStopsReadingAfterTheSendTimeout() throws Exception {
        SlowPeers.closesAPeerThatStopsReadingWithoutHoldingMoreForItAndServesOthersAsBefore(server);
    }

    @Test
    void closesPeersThatStallBeyondTheBoundAtOnce() throws Exception {
        SlowPeers.closesPeersThatStallBeyondTheBoundAtOnceAndTheOthersAfterTheSendTimeout(server);
    }
}
