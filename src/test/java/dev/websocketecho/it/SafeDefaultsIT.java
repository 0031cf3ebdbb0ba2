package dev.websocketecho.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a stranger probing the deployment can learn: no descriptors, no directory listings, no stack traces. */
class SafeDefaultsIT extends DeployedWar {

    /** A frame of a Java stack trace, as {@code at dev.websocketecho.Foo.bar(Foo.java:42)}. */
    private static final Pattern STACK_TRACE = Pattern.compile("\\bat [\\w$.]+\\([\\w$]+\\.java:\\d+\\)");

    @ParameterizedTest
    @ValueSource(strings = {"WEB-INF/web.xml", "WEB-INF/", "WEB-INF/classes/", "META-INF/MANIFEST.MF", "no-such-page",
            "dev/", "api/"})
    void refusesWhatIsNotPublicWithoutAListingOrAStackTrace(String path) {
        HttpResponse<String> response = get(path);
        assertTrue(response.statusCode() == 404 || response.statusCode() == 403, path + ": " + response.statusCode());
        assertFalse(STACK_TRACE.matcher(response.body()).find(), path + " shows a stack trace: " + response.body());
        assertFalse(response.body().contains("web-app"), path + " shows a descriptor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo", "api/stats/more", "index.html/more"})
    void answersOddRequestsWithoutAStackTrace(String path) {
        HttpResponse<String> response = get(path);
        assertTrue(response.statusCode() < 500, path + ": " + response.statusCode());
        assertFalse(STACK_TRACE.matcher(response.body()).find(), path + " shows a stack trace: " + response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "app.js"})
    void servesThePublicFilesAsThemselves(String path) {
        assertEquals(200, get(path).statusCode(), path);
    }
}
