package dev.websocketecho.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoSettingsTest {

    private static EchoSettings load(Map<String, String> properties, Map<String, String> environment) {
        return EchoSettings.load(properties::get, environment::get);
    }

    @Test
    void defaults() {
        EchoSettings settings = load(Map.of(), Map.of());
        assertEquals(1024 * 1024, settings.maxMessageBytes());
        assertEquals(Set.of(), settings.allowedOrigins());
        assertFalse(settings.anyOriginAllowed());
        assertEquals(Duration.ofSeconds(10), settings.sendTimeout());
        assertEquals(Duration.ofSeconds(30), settings.pingInterval());
        assertEquals(Duration.ofSeconds(60), settings.idleTimeout());
        assertEquals(10_000, settings.maxConnections());
        assertEquals(1_000, settings.maxConnectionsPerAddress());
        assertEquals(4, settings.maxStalledSends());
        assertEquals(Duration.ofSeconds(2), settings.firstPongTimeout());
        assertFalse(settings.permessageDeflate());
        assertEquals(4L * 1024 * 1024, settings.maxQueuedBytes());
        assertTrue(settings.publishToken().isEmpty(), "the publish API is off unless a token is set");
    }

    @Test
    void queuesAtLeastOneMessageOfTheLimitPerSubscriber() {
        assertEquals(4L * 32 * 1024 * 1024, load(Map.of("echo.maxMessageBytes", "33554432"), Map.of())
                .maxQueuedBytes(), "four messages of a raised limit by default");
        var tooSmall = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.maxQueuedBytes", "1000"), Map.of()));
        assertEquals("echo.maxQueuedBytes (1000) must be at least echo.maxMessageBytes (1048576)",
                tooSmall.getMessage());
    }

    @Test
    void keepsThePublishTokenSecretAndComparesItWhole() {
        EchoSettings settings = load(Map.of(), Map.of("ECHO_PUBLISH_TOKEN", "correct horse battery staple"));
        PublishToken token = settings.publishToken().orElseThrow();
        assertTrue(token.matches("correct horse battery staple"));
        assertFalse(token.matches("correct horse battery stapl"));
        assertFalse(token.matches("correct horse battery staples"));
        assertFalse(token.matches(null));
        assertFalse(settings.toString().contains("staple"), settings.toString());
        var tooShort = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.publishToken", "short"), Map.of()));
        assertEquals("echo.publishToken must be at least 16 characters long, not 5", tooShort.getMessage());
    }

    @Test
    void namesEnvironmentVariablesAfterTheProperties() {
        assertEquals("ECHO_MAX_MESSAGE_BYTES", EchoSettings.environmentName(EchoSettings.MAX_MESSAGE_BYTES));
        assertEquals("ECHO_ALLOWED_ORIGINS", EchoSettings.environmentName(EchoSettings.ALLOWED_ORIGINS));
        assertEquals("ECHO_SEND_TIMEOUT_MILLIS", EchoSettings.environmentName(EchoSettings.SEND_TIMEOUT_MILLIS));
        assertEquals("ECHO_PING_INTERVAL_MILLIS", EchoSettings.environmentName(EchoSettings.PING_INTERVAL_MILLIS));
        assertEquals("ECHO_IDLE_TIMEOUT_MILLIS", EchoSettings.environmentName(EchoSettings.IDLE_TIMEOUT_MILLIS));
        assertEquals("ECHO_MAX_CONNECTIONS", EchoSettings.environmentName(EchoSettings.MAX_CONNECTIONS));
        assertEquals("ECHO_MAX_CONNECTIONS_PER_ADDRESS",
                EchoSettings.environmentName(EchoSettings.MAX_CONNECTIONS_PER_ADDRESS));
    }

    @Test
    void readsTheEnvironmentAndLetsSystemPropertiesWin() {
        EchoSettings settings = load(
                Map.of("echo.maxMessageBytes", "2048", "echo.sendTimeoutMillis", " "),
                Map.of("ECHO_MAX_MESSAGE_BYTES", "4096", "ECHO_SEND_TIMEOUT_MILLIS", "500",
                        "ECHO_ALLOWED_ORIGINS", " https://a.example , http://localhost:3000,,"));
        assertEquals(2048, settings.maxMessageBytes());
        assertEquals(Duration.ofMillis(500), settings.sendTimeout());
        assertEquals(Set.of("https://a.example", "http://localhost:3000"), settings.allowedOrigins());
    }

    @Test
    void allowsEveryOriginOnlyWhenToldSoAlone() {
        assertTrue(load(Map.of("echo.allowedOrigins", "*"), Map.of()).anyOriginAllowed());
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.allowedOrigins", "*,https://a.example"), Map.of()));
        assertTrue(mixed.getMessage().contains("echo.allowedOrigins"), mixed.getMessage());
    }

    @Test
    void refusesValuesOutOfRangeWithTheSettingsName() {
        for (String bad : new String[] {"0", "-1", "67108865", "9999999999999"}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> load(Map.of("echo.maxMessageBytes", bad), Map.of()));
            assertTrue(e.getMessage().startsWith("echo.maxMessageBytes must be between 1 and 67108864"), e.getMessage());
        }
        var notANumber = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of("ECHO_SEND_TIMEOUT_MILLIS", "ten")));
        assertEquals("echo.sendTimeoutMillis must be a whole number, not 'ten'", notANumber.getMessage());
        assertThrows(IllegalArgumentException.class, () -> load(Map.of("echo.sendTimeoutMillis", "0"), Map.of()));
    }

    @Test
    void readsTheHeartbeatAndTheConnectionCaps() {
        EchoSettings settings = load(Map.of("echo.maxConnections", "50"),
                Map.of("ECHO_PING_INTERVAL_MILLIS", "500", "ECHO_IDLE_TIMEOUT_MILLIS", "1500",
                        "ECHO_MAX_CONNECTIONS_PER_ADDRESS", "5"));
        assertEquals(Duration.ofMillis(500), settings.pingInterval());
        assertEquals(Duration.ofMillis(1500), settings.idleTimeout());
        assertEquals(50, settings.maxConnections());
        assertEquals(5, settings.maxConnectionsPerAddress());
    }

    @Test
    void readsAndChecksTheStalledSendsBound() {
        assertEquals(3, load(Map.of(), Map.of("ECHO_MAX_STALLED_SENDS", "3")).maxStalledSends());
        var e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.maxStalledSends", "0"), Map.of()));
        assertEquals("echo.maxStalledSends must be positive, not 0", e.getMessage());
    }

    @Test
    void readsAndChecksTheFirstPongTimeout() {
        assertEquals(Duration.ofMillis(700),
                load(Map.of(), Map.of("ECHO_FIRST_PONG_TIMEOUT_MILLIS", "700")).firstPongTimeout());
        var e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.firstPongTimeoutMillis", "0"), Map.of()));
        assertEquals("echo.firstPongTimeoutMillis must be positive, not 0", e.getMessage());
    }

    @Test
    void readsPermessageDeflateAsOnOrOff() {
        assertTrue(load(Map.of(), Map.of("ECHO_PERMESSAGE_DEFLATE", "on")).permessageDeflate());
        assertTrue(load(Map.of("echo.permessageDeflate", "TRUE"), Map.of()).permessageDeflate());
        assertFalse(load(Map.of(), Map.of("ECHO_PERMESSAGE_DEFLATE", "off")).permessageDeflate());
        var e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.permessageDeflate", "yes"), Map.of()));
        assertEquals("echo.permessageDeflate must be on or off, not 'yes'", e.getMessage());
    }

    @Test
    void refusesAnIdleTimeoutThatAPingCouldNotBeat() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.pingIntervalMillis", "5000", "echo.idleTimeoutMillis", "5000"), Map.of()));
        assertEquals("echo.idleTimeoutMillis (5000) must be longer than echo.pingIntervalMillis (5000), or every quiet"
                + " connection would be closed", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> load(Map.of("echo.pingIntervalMillis", "0"), Map.of()));
    }

    @Test
    void refusesCapsBelowOne() {
        var total = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of("echo.maxConnections", "0"), Map.of()));
        assertEquals("echo.maxConnections must be positive, not 0", total.getMessage());
        var perAddress = assertThrows(IllegalArgumentException.class,
                () -> load(Map.of(), Map.of("ECHO_MAX_CONNECTIONS_PER_ADDRESS", "-3")));
        assertEquals("echo.maxConnectionsPerAddress must be positive, not -3", perAddress.getMessage());
        assertThrows(IllegalArgumentException.class, () -> load(Map.of("echo.maxConnections", "3000000000"), Map.of()));
    }
}
