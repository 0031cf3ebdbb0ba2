package dev.websocketecho.topics;

import java.util.regex.Pattern;

/** What may name a topic: 1 to 64 of the characters that a URL path segment carries as they are. */
public final class TopicName {

    /** RFC 3986's unreserved characters: a valid name is the same encoded and decoded. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

    /** The topic the server publishes its stats to once a second; nobody else may publish to it. */
    public static final String STATS = "_stats";

    public static final String RULE = "a topic name is 1 to 64 of A-Z a-z 0-9 . _ ~ -";

    private TopicName() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** Whether only the server publishes to it. */
    public static boolean isReadOnly(String name) {
        return STATS.equals(name);
    }
}
