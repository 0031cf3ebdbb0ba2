package dev.websocketecho.testing;

/**
 * Where a container does not do what RFC 6455 or the application asks, one constant for each row of the README's
 * deviations table; {@link Container} says which container has which.
 */
public enum Deviation {
    /** A client frame without a mask is echoed instead of being answered with 1002 (Tyrus). */
    UNMASKED_FRAMES_ACCEPTED,
    /** A frame larger than the limit plus 1 MiB gets 1011 {@code Buffer overflow.} instead of 1009 (Tyrus). */
    HUGE_FRAME_IS_A_BUFFER_OVERFLOW,
    /** Invalid UTF-8 is answered with 1007 only once the whole frame has arrived (Tyrus, Open Liberty). */
    TEXT_DECODED_WHOLE_FRAMES_ONLY,
    /** A frame over the limit is refused only once all of it has arrived (Open Liberty). */
    FRAMES_READ_WHOLE_WITHOUT_BOUND,
    /**
     * The close of a peer that leaves during the handshake is lost, so the application pings every new session
     * (Tyrus on Grizzly).
     */
    CLOSE_LOST_DURING_HANDSHAKE,
    /** A valid message right before a broken frame may lose its echo to the close (WildFly). */
    ECHO_MAY_BE_LOST_BEFORE_A_BROKEN_FRAME,
    /**
     * The container upgrades before the application's filters run, so a refused handshake is closed as it opens
     * (1008, 1013) instead of getting an HTTP status (Jetty; Tyrus embedded without a servlet container too).
     */
    UPGRADE_BEFORE_FILTERS,
    /** A peer that does not read has all it uploads within the send timeout queued in memory (WildFly). */
    SLOW_READER_QUEUED_IN_MEMORY,
    /** A closed connection whose peer never answers the close frame stays open until the peer goes (Liberty, TomEE). */
    CLOSE_WAITS_FOR_THE_PEER,
    /**
     * An HTTP request that announces a body over the container's own limit gets 400 from the container before the
     * application sees it (WildFly: Undertow's {@code max-post-size}, 10 MB).
     */
    CONTAINER_REFUSES_LARGE_BODIES
}
