package dev.websocketecho.origin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    private final OriginPolicy sameOriginOnly = new OriginPolicy(Set.of(), false);
    private final OriginPolicy allowlist = new OriginPolicy(Set.of("https://allowed.example", "http://localhost:3000"),
            false);

    @Test
    void acceptsHandshakesWithoutOriginFromNonBrowserClients() {
        assertTrue(sameOriginOnly.allows(null, "echo.example"));
        assertTrue(sameOriginOnly.allows(null, null));
    }

    @ParameterizedTest
    @CsvSource({
            "http://localhost:8080, localhost:8080",
            "http://127.0.0.1:8080, 127.0.0.1:8080",
            "https://echo.example, echo.example",
            "https://echo.example, echo.example:443",
            "http://echo.example, echo.example:80",
            "http://ECHO.example:8080, echo.EXAMPLE:8080",
            "http://[::1]:8080, [::1]:8080"
    })
    void acceptsThePagesOwnOrigin(String origin, String host) {
        assertTrue(sameOriginOnly.allows(origin, host));
    }

    @ParameterizedTest
    @CsvSource({
            "http://evil.example, echo.example",
            "http://localhost:8081, localhost:8080",
            "https://echo.example, echo.example:8443",
            "https://echo.example:443, echo.example:80",
            "http://echo.example.evil.example, echo.example",
            "http://evil-echo.example, echo.example",
            "http://echo.example@evil.example, echo.example",
            "http://echo.example/path, echo.example",
            "ftp://echo.example, echo.example",
            "null, echo.example",
            "not an origin, echo.example",
            "'', echo.example"
    })
    void refusesEveryOtherOrigin(String origin, String host) {
        assertFalse(sameOriginOnly.allows(origin, host));
    }

    @Test
    void refusesAnOriginWhenTheRequestNamesNoHost() {
        assertFalse(sameOriginOnly.allows("http://localhost:8080", null));
        assertFalse(sameOriginOnly.allows("http://localhost:8080", ""));
        assertFalse(sameOriginOnly.allows("not an origin", ""));
    }

    @Test
    void acceptsListedOriginsExactly() {
        assertTrue(allowlist.allows("https://allowed.example", "echo.example"));
        assertTrue(allowlist.allows("http://localhost:3000", "echo.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://allowed.example",
            "https://allowed.example.evil.com",
            "https://evil.com.allowed.example",
            "https://notallowed.example",
            "https://allowed.example:8443",
            "https://allowed.example/",
            "http://localhost:30000",
            "http://localhost:300",
            "null"
    })
    void matchesNoPrefixSuffixOrSubstringOfAListedOrigin(String origin) {
        assertFalse(allowlist.allows(origin, "echo.example"));
    }

    @Test
    void refusesAHandshakeWithMoreThanOneOrigin() {
        assertTrue(sameOriginOnly.allowsHandshake(List.of(), "echo.example"));
        assertTrue(sameOriginOnly.allowsHandshake(List.of("http://echo.example"), "echo.example"));
        assertFalse(sameOriginOnly.allowsHandshake(List.of("http://echo.example", "http://echo.example"),
                "echo.example"));
        assertFalse(sameOriginOnly.allowsHandshake(List.of("http://evil.example"), "echo.example"));
    }

    @Test
    void acceptsTheNullOriginOnlyWhenListed() {
        assertTrue(new OriginPolicy(Set.of("null"), false).allows("null", "echo.example"));
    }

    @Test
    void acceptsEveryOriginOnlyWhenToldSo() {
        OriginPolicy any = new OriginPolicy(Set.of(), true);
        assertTrue(any.allows("http://evil.example", "echo.example"));
        assertTrue(any.allows("null", "echo.example"));
    }
}
