package dev.websocketecho.testing;

import dev.websocketecho.config.EchoSettings;

import java.net.URI;
import java.time.Duration;

import static dev.websocketecho.testing.Eventually.assertEventually;

/** The application as a test reaches it: deployed on a container, or on Tyrus embedded in the test. */
public interface ServerUnderTest {

    URI echoUri();

    /** {@code ws://…/topics/{topic}}. */
    default URI topicUri(String topic) {
        return echoUri().resolve("topics/" + topic);
    }

    /** One counter of {@code GET api/stats}, such as {@code openSessions}. */
    long stat(String name);

    /** The settings the application runs with. */
    EchoSettings settings();

    Container container();

    /** Waits until no session is open, such as those of an earlier test that the server is still closing. */
    default void awaitNoOpenSessions() {
        assertEventually(0L, () -> stat("openSessions"), Duration.ofSeconds(30), "open sessions before the test");
    }
}
