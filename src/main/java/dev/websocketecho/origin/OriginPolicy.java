package dev.websocketecho.origin;

import dev.websocketecho.config.EchoSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which web pages may open a WebSocket to this server, the defence against cross-site WebSocket hijacking.
 * <p>
 * A handshake without an {@code Origin} header comes from a non-browser client and is accepted. A browser's handshake
 * is accepted when its origin is the page's own, that is when the origin's host and port are the {@code Host} the
 * request was sent to, or when it is listed exactly in the allowlist. Nothing is matched by prefix, suffix or
 * substring, and {@code Origin: null} (sandboxed frames, {@code file:} pages) passes only when {@code null} is listed.
 */
public final class OriginPolicy {

    private final Set<String> allowedOrigins;
    private final boolean anyOriginAllowed;

    public OriginPolicy(Set<String> allowedOrigins, boolean anyOriginAllowed) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.anyOriginAllowed = anyOriginAllowed;
    }

    public static OriginPolicy of(EchoSettings settings) {
        return new OriginPolicy(settings.allowedOrigins(), settings.anyOriginAllowed());
    }

    /**
     * Judges a handshake by all its {@code Origin} headers: a browser sends at most one, so more than one is refused.
     *
     * @param origins the values of the handshake's {@code Origin} headers, empty when it has none
     * @param host    the {@code Host} header of the handshake, or {@code null} when it has none
     */
    public boolean allowsHandshake(List<String> origins, String host) {
        return origins.size() <= 1 && allows(origins.isEmpty() ? null : origins.get(0), host);
    }

    /**
     * @param origin the {@code Origin} header of the handshake, or {@code null} when it has none
     * @param host   the {@code Host} header of the handshake, or {@code null} when it has none
     */
    public boolean allows(String origin, String host) {
        if (origin == null || anyOriginAllowed || allowedOrigins.contains(origin)) {
            return true;
        }
        String authority = authorityOf(origin);
        return host != null && !authority.isEmpty()
                && authority.equals(withoutDefaultPort(host.toLowerCase(Locale.ROOT), origin));
    }

    /** The {@code host[:port]} of a serialized origin, or the empty string when it is not an http(s) origin. */
    private static String authorityOf(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!web || uri.getHost() == null || !bare || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                return "";
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            return port == -1 || port == defaultPort(scheme) ? host : host + ":" + port;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** {@code Host: example.com:443} names the same authority as {@code https://example.com}. */
    private static String withoutDefaultPort(String host, String origin) {
        String scheme = origin.substring(0, Math.max(origin.indexOf(':'), 0));
        String defaultPortSuffix = ":" + defaultPort(scheme);
        return host.endsWith(defaultPortSuffix) ? host.substring(0, host.length() - defaultPortSuffix.length()) : host;
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
