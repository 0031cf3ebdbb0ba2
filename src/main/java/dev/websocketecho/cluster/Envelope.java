package dev.websocketecho.cluster;

import dev.websocketecho.message.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A published message as it travels through the grid: a plain byte array, which every member can read whatever class
 * loader the grid's threads run with. One byte for the kind (text or binary), one for the topic name's length, the
 * name in ASCII ({@link dev.websocketecho.topics.TopicName} allows nothing else), then the payload, text in UTF-8.
 */
record Envelope(String topic, Message<?> message) {

    private static final byte TEXT = 0;
    private static final byte BINARY = 1;

    byte[] encode() {
        byte[] name = topic.getBytes(StandardCharsets.US_ASCII);
        boolean binary = message.payload() instanceof ByteBuffer;
        ByteBuffer payload = binary ? ((ByteBuffer) message.payload()).duplicate()
                : ByteBuffer.wrap(((String) message.payload()).getBytes(StandardCharsets.UTF_8));
        ByteBuffer encoded = ByteBuffer.allocate(2 + name.length + payload.remaining());
        encoded.put(binary ? BINARY : TEXT).put((byte) name.length).put(name).put(payload);
        return encoded.array();
    }

    static Envelope decode(byte[] encoded) {
        byte kind = encoded[0];
        int nameLength = encoded[1];
        String topic = new String(encoded, 2, nameLength, StandardCharsets.US_ASCII);
        int offset = 2 + nameLength;
        int length = encoded.length - offset;
        Message<?> message = switch (kind) {
            case TEXT -> new Message<>(new String(encoded, offset, length, StandardCharsets.UTF_8), length);
            case BINARY -> new Message<>(ByteBuffer.wrap(encoded, offset, length).slice(), length);
            default -> throw new IllegalArgumentException("Unknown kind of message: " + kind);
        };
        return new Envelope(topic, message);
    }
}
