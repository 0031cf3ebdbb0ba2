package dev.websocketecho.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The deploy-time settings of the application. Each one is read from a system property or, when that is absent, from
 * an environment variable, so the same WAR can be configured without rebuilding it.
 */
public record EchoSettings(long maxMessageBytes, Set<String> allowedOrigins, boolean anyOriginAllowed,
                           Duration sendTimeout, Duration pingInterval, Duration idleTimeout, int maxConnections,
                           int maxConnectionsPerAddress, int maxStalledSends, Duration firstPongTimeout,
                           boolean permessageDeflate, long maxQueuedBytes, Optional<PublishToken> publishToken) {

    public static final String MAX_MESSAGE_BYTES = "echo.maxMessageBytes";
    public static final String ALLOWED_ORIGINS = "echo.allowedOrigins";
    public static final String SEND_TIMEOUT_MILLIS = "echo.sendTimeoutMillis";
    public static final String PING_INTERVAL_MILLIS = "echo.pingIntervalMillis";
    public static final String IDLE_TIMEOUT_MILLIS = "echo.idleTimeoutMillis";
    public static final String MAX_CONNECTIONS = "echo.maxConnections";
    public static final String MAX_CONNECTIONS_PER_ADDRESS = "echo.maxConnectionsPerAddress";
    public static final String MAX_STALLED_SENDS = "echo.maxStalledSends";
    public static final String FIRST_PONG_TIMEOUT_MILLIS = "echo.firstPongTimeoutMillis";
    public static final String PERMESSAGE_DEFLATE = "echo.permessageDeflate";
    public static final String MAX_QUEUED_BYTES = "echo.maxQueuedBytes";
    public static final String PUBLISH_TOKEN = "echo.publishToken";

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    /**
     * Tyrus, the WebSocket engine of Payara and GlassFish, holds a whole frame of up to the limit in memory before
     * anyone sees it, and its reading cost grows with the square of a frame's size: beyond this, one peer costs too much.
     */
    public static final int MAX_MESSAGE_BYTES_CEILING = 64 * 1024 * 1024;
    public static final long DEFAULT_SEND_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_PING_INTERVAL_MILLIS = 30_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    /** Half the 8 HTTP threads of the shipped Payara Micro configuration: the other half serve everybody else. */
    public static final int DEFAULT_MAX_STALLED_SENDS = 4;
    /**
     * Some containers (Tyrus on Grizzly: Payara, GlassFish) never report a peer that left during the handshake; one
     * that answers nothing to the ping sent as it opens is taken for such a peer. Two seconds is many round trips for
     * any live client, and keeps such a peer from holding its place under the caps for long.
     */
    public static final long DEFAULT_FIRST_PONG_TIMEOUT_MILLIS = 2_000;
    /**
     * What may wait for one subscriber of a topic by default, in messages of the limit: four, so that a burst of large
     * messages does not cost a healthy subscriber its connection. The messages are shared by all the subscribers of a
     * topic, so a topic retains at most this much however many subscribers it has.
     */
    public static final int QUEUED_MESSAGES = 4;

    public EchoSettings {
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES_CEILING) {
            throw new IllegalArgumentException(MAX_MESSAGE_BYTES + " must be between 1 and "
                    + MAX_MESSAGE_BYTES_CEILING + " bytes, not " + maxMessageBytes);
        }
        positive(SEND_TIMEOUT_MILLIS, sendTimeout);
        positive(PING_INTERVAL_MILLIS, pingInterval);
        positive(IDLE_TIMEOUT_MILLIS, idleTimeout);
        // A peer that is alive answers each ping at once, so it is heard at least once per interval.
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException(IDLE_TIMEOUT_MILLIS + " (" + idleTimeout.toMillis()
                    + ") must be longer than " + PING_INTERVAL_MILLIS + " (" + pingInterval.toMillis()
                    + "), or every quiet connection would be closed");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS + " must be positive, not " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS_PER_ADDRESS + " must be positive, not "
                    + maxConnectionsPerAddress);
        }
        if (maxStalledSends < 1) {
            throw new IllegalArgumentException(MAX_STALLED_SENDS + " must be positive, not " + maxStalledSends);
        }
        positive(FIRST_PONG_TIMEOUT_MILLIS, firstPongTimeout);
        // A subscriber must be able to hold one message of the largest size a publisher may send.
        if (maxQueuedBytes < maxMessageBytes) {
            throw new IllegalArgumentException(MAX_QUEUED_BYTES + " (" + maxQueuedBytes + ") must be at least "
                    + MAX_MESSAGE_BYTES + " (" + maxMessageBytes + ")");
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /** The settings of the running server: its system properties, then its environment. */
    public static EchoSettings fromSystem() {
        return load(System::getProperty, System::getenv);
    }

    /**
     * Reads the settings: a system property such as {@code echo.maxMessageBytes} wins over its environment variable
     * {@code ECHO_MAX_MESSAGE_BYTES}; an absent or blank value takes the default.
     */
    public static EchoSettings load(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        UnaryOperator<String> lookup = name -> {
            String value = systemProperties.apply(name);
            if (value == null || value.isBlank()) {
                value = environment.apply(environmentName(name));
            }
            return value == null || value.isBlank() ? null : value.trim();
        };
        String origins = lookup.apply(ALLOWED_ORIGINS);
        Set<String> allowed = origins == null ? Set.of() : Arrays.stream(origins.split(","))
                .map(String::trim)
                .filter(origin -> !origin.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        boolean any = allowed.contains("*");
        if (any && allowed.size() > 1) {
            throw new IllegalArgumentException(ALLOWED_ORIGINS + " is either * alone or a list of exact origins, not "
                    + origins);
        }
        return new EchoSettings(
                number(lookup, MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES),
                any ? Set.of() : allowed,
                any,
                Duration.ofMillis(number(lookup, SEND_TIMEOUT_MILLIS, DEFAULT_SEND_TIMEOUT_MILLIS)),
                Duration.ofMillis(number(lookup, PING_INTERVAL_MILLIS, DEFAULT_PING_INTERVAL_MILLIS)),
                Duration.ofMillis(number(lookup, IDLE_TIMEOUT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS)),
                count(lookup, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS),
                count(lookup, MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS),
                count(lookup, MAX_STALLED_SENDS, DEFAULT_MAX_STALLED_SENDS),
                Duration.ofMillis(number(lookup, FIRST_PONG_TIMEOUT_MILLIS, DEFAULT_FIRST_PONG_TIMEOUT_MILLIS)),
                onOff(lookup, PERMESSAGE_DEFLATE, false),
                number(lookup, MAX_QUEUED_BYTES, QUEUED_MESSAGES * number(lookup, MAX_MESSAGE_BYTES,
                        DEFAULT_MAX_MESSAGE_BYTES)),
                Optional.ofNullable(lookup.apply(PUBLISH_TOKEN)).map(PublishToken::new));
    }

    private static boolean onOff(UnaryOperator<String> lookup, String name, boolean defaultValue) {
        String value = lookup.apply(name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be on or off, not '" + value + "'");
        };
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value.toMillis());
        }
    }

    private static int count(UnaryOperator<String> lookup, String name, int defaultValue) {
        long value = number(lookup, name, defaultValue);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE + ", not " + value);
        }
        return (int) value;
    }

    /** {@code echo.maxMessageBytes} becomes {@code ECHO_MAX_MESSAGE_BYTES}. */
    public static String environmentName(String property) {
        return property.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static long number(UnaryOperator<String> lookup, String name, long defaultValue) {
        String value = lookup.apply(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
        }
    }
}
