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
    }

    @Test
    void namesEnvironmentVariablesAfterTheProperties() {
        assertEquals("ECHO_MAX_MESSAGE_BYTES", EchoSettings.environmentName(EchoSettings.MAX_MESSAGE_BYTES));
        assertEquals("ECHO_ALLOWED_ORIGINS", EchoSettings.environmentName(EchoSettings.ALLOWED_ORIGINS));
        assertEquals("ECHO_SEND_TIMEOUT_MILLIS", EchoSettings.environmentName(EchoSettings.SEND_TIMEOUT_MILLIS));
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
}
