package dev.websocketecho.it.custom;

import dev.websocketecho.testing.SlowPeers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A {@link SlowPeers} peer that stops reading, on the container, with the short send timeout of this package. */
class SlowReaderIT extends WithCustomSettings {

    @BeforeEach
    void noSessionsLeftByOtherTests() {
        awaitNoOpenSessions();
    }

    @Test
    void closesAPeerThatStopsReadingWithoutHoldingMoreForItAndServesOthersAsBefore() throws Exception {
        SlowPeers.closesAPeerThatStopsReadingWithoutHoldingMoreForItAndServesOthersAsBefore(this);
    }
}
