package dev.websocketecho.testing;

import java.nio.ByteBuffer;
import java.util.Random;

/** Message bodies for tests, reproducible from a seed. */
public final class Payloads {

    /** Latin, Cyrillic, CJK, emoji and a Gothic letter: one to four bytes per character in UTF-8. */
    public static final String UNICODE = "héllo мир 你好 世界 😀🎉 𐍈 ✓";

    private Payloads() {
    }

    public static ByteBuffer randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** ASCII text of exactly {@code size} bytes. */
    public static String asciiText(int size) {
        return "x".repeat(size);
    }
}
