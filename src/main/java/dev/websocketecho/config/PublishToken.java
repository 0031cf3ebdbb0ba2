package dev.websocketecho.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The secret that the HTTP publish API asks for, kept out of logs and compared in constant time. */
public final class PublishToken {

    /** Shorter would be guessable: 128 bits as hex, or a passphrase of some length. */
    public static final int MINIMUM_LENGTH = 16;

    private final byte[] value;

    public PublishToken(String value) {
        if (value.length() < MINIMUM_LENGTH) {
            throw new IllegalArgumentException(EchoSettings.PUBLISH_TOKEN + " must be at least " + MINIMUM_LENGTH
                    + " characters long, not " + value.length());
        }
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code presented} is the token, in a time that does not depend on where they first differ. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
