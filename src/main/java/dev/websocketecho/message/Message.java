package dev.websocketecho.message;

import java.nio.ByteBuffer;

/**
 * A whole message and its size in bytes on the wire (UTF-8 for text).
 *
 * @param payload a {@link String} for a text message, a {@link ByteBuffer} for a binary one
 */
public record Message<T>(T payload, long bytes) {
}
