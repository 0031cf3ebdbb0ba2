package dev.websocketecho.testing;

import dev.websocketecho.config.EchoSettings;

import java.util.HashMap;
import java.util.Map;

/** Settings for a test, stated where it stands: the defaults but for the ones it names, whatever the environment. */
public final class TestSettings {

    private TestSettings() {
    }

    public static EchoSettings defaults() {
        return EchoSettings.load(name -> null, name -> null);
    }

    /** @param namesAndValues pairs such as {@code "echo.pingIntervalMillis", "100"} */
    public static EchoSettings with(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Names and values come in pairs");
        }
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return EchoSettings.load(settings::get, name -> null);
    }
}
