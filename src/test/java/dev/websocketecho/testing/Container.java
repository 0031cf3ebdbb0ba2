package dev.websocketecho.testing;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static dev.websocketecho.testing.Deviation.CLOSE_LOST_DURING_HANDSHAKE;
import static dev.websocketecho.testing.Deviation.CLOSE_WAITS_FOR_THE_PEER;
import static dev.websocketecho.testing.Deviation.CONTAINER_REFUSES_LARGE_BODIES;
import static dev.websocketecho.testing.Deviation.ECHO_MAY_BE_LOST_BEFORE_A_BROKEN_FRAME;
import static dev.websocketecho.testing.Deviation.FRAMES_READ_WHOLE_WITHOUT_BOUND;
import static dev.websocketecho.testing.Deviation.HUGE_FRAME_IS_A_BUFFER_OVERFLOW;
import static dev.websocketecho.testing.Deviation.SLOW_READER_QUEUED_IN_MEMORY;
import static dev.websocketecho.testing.Deviation.TEXT_DECODED_WHOLE_FRAMES_ONLY;
import static dev.websocketecho.testing.Deviation.UNMASKED_FRAMES_ACCEPTED;
import static dev.websocketecho.testing.Deviation.UPGRADE_BEFORE_FILTERS;

/**
 * A container the tests run the application on, with what it does differently: the README's deviations table as
 * code, and whether it negotiates permessage-deflate with its default configuration.
 */
public enum Container {
    PAYARA_MICRO("payara-micro", false, tyrus()),
    PAYARA_SERVER("payara-server", false, tyrus()),
    GLASSFISH("glassfish", false, tyrus()),
    /** The unit tests' server: Tyrus on Grizzly as in Payara, without the servlet container and so its filters. */
    EMBEDDED_TYRUS("embedded-tyrus", false, with(tyrus(), UPGRADE_BEFORE_FILTERS)),
    WILDFLY("wildfly", false, EnumSet.of(ECHO_MAY_BE_LOST_BEFORE_A_BROKEN_FRAME, SLOW_READER_QUEUED_IN_MEMORY,
            CONTAINER_REFUSES_LARGE_BODIES)),
    TOMCAT("tomcat", true, EnumSet.noneOf(Deviation.class)),
    /** TomEE 9, on Tomcat 10.0. */
    TOMEE("tomee", true, EnumSet.of(CLOSE_WAITS_FOR_THE_PEER)),
    JETTY("jetty", true, EnumSet.of(UPGRADE_BEFORE_FILTERS)),
    LIBERTY("liberty", false,
            EnumSet.of(TEXT_DECODED_WHOLE_FRAMES_ONLY, FRAMES_READ_WHOLE_WITHOUT_BOUND, CLOSE_WAITS_FOR_THE_PEER));

    private final String qualifier;
    private final boolean negotiatesDeflate;
    private final Set<Deviation> deviations;

    Container(String qualifier, boolean negotiatesDeflate, Set<Deviation> deviations) {
        this.qualifier = qualifier;
        this.negotiatesDeflate = negotiatesDeflate;
        this.deviations = deviations;
    }

    /** The container of the integration tests: the qualifier in {@code arquillian.xml} that the build's profile chose. */
    public static Container underTest() {
        String qualifier = System.getProperty("arquillian.launch", PAYARA_MICRO.qualifier);
        return Arrays.stream(values()).filter(container -> container.qualifier.equals(qualifier)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No container " + qualifier));
    }

    /** The largest request body the container passes to the application: WildFly's default {@code max-post-size}. */
    public static final long CONTAINER_BODY_LIMIT = 10_485_760;

    public boolean has(Deviation deviation) {
        return deviations.contains(deviation);
    }

    /** Whether it negotiates permessage-deflate for an annotated endpoint when the application lets it. */
    public boolean negotiatesDeflate() {
        return negotiatesDeflate;
    }

    private static Set<Deviation> tyrus() {
        return EnumSet.of(UNMASKED_FRAMES_ACCEPTED, HUGE_FRAME_IS_A_BUFFER_OVERFLOW, TEXT_DECODED_WHOLE_FRAMES_ONLY,
                CLOSE_LOST_DURING_HANDSHAKE);
    }

    private static Set<Deviation> with(Set<Deviation> deviations, Deviation more) {
        Set<Deviation> all = EnumSet.copyOf(deviations);
        all.add(more);
        return all;
    }
}
