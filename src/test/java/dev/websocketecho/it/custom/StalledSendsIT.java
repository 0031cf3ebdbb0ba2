package dev.websocketecho.it.custom;

import dev.websocketecho.testing.SlowPeers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SlowPeers} beyond {@code echo.maxStalledSends}, on the container, with the settings of this package. */
class StalledSendsIT extends WithCustomSettings {

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        awaitNoOpenSessions();
    }

    @Test
    void closesPeersThatStallBeyondTheBoundAtOnceAndTheOthersAfterTheSendTimeout() throws Exception {
        SlowPeers.closesPeersThatStallBeyondTheBoundAtOnceAndTheOthersAfterTheSendTimeout(this);
    }
}
