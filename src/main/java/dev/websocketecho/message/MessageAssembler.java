package dev.websocketecho.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

/**
 * Joins the parts in which a container delivers one message and enforces the size limit on their running total, so
 * the limit holds however the client fragmented the message and whatever the container's own buffers are.
 */
public final class MessageAssembler<T> {

    public static final class TooBigException extends Exception {
        TooBigException(long limit) {
            super("Message too big: the limit is " + limit + " bytes");
        }
    }

    private final long limit;
    private final ToLongFunction<T> byteSize;
    private final UnaryOperator<T> retain;
    private final Function<List<T>, T> join;
    private final List<T> parts = new ArrayList<>();
    private long size;

    private MessageAssembler(long limit, ToLongFunction<T> byteSize, UnaryOperator<T> retain,
                             Function<List<T>, T> join) {
        this.limit = limit;
        this.byteSize = byteSize;
        this.retain = retain;
        this.join = join;
    }

    public static MessageAssembler<String> text(long limit) {
        return new MessageAssembler<>(limit, MessageAssembler::utf8Length, UnaryOperator.identity(),
                parts -> String.join("", parts));
    }

    /** Containers may reuse the buffer of a part once its handler returns, so pending parts are copied. */
    public static MessageAssembler<ByteBuffer> binary(long limit) {
        return new MessageAssembler<>(limit, ByteBuffer::remaining, MessageAssembler::copy, MessageAssembler::concat);
    }

    /**
     * @return the whole message once its last part has arrived, {@code null} while more parts are expected
     * @throws TooBigException when the message grows past the limit; the parts so far are dropped
     */
    public Message<T> add(T part, boolean last) throws TooBigException {
        size += byteSize.applyAsLong(part);
        if (size > limit) {
            reset();
            throw new TooBigException(limit);
        }
        if (!last) {
            parts.add(retain.apply(part));
            return null;
        }
        T whole = part;
        if (!parts.isEmpty()) {
            parts.add(part);
            whole = join.apply(parts);
        }
        Message<T> message = new Message<>(whole, size);
        reset();
        return message;
    }

    private void reset() {
        parts.clear();
        size = 0;
    }

    static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // Two more bytes for 0x800 and up; a surrogate pair (4 bytes) is two chars with one more byte each.
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    private static ByteBuffer copy(ByteBuffer part) {
        ByteBuffer copy = ByteBuffer.allocate(part.remaining());
        copy.put(part.duplicate()).flip();
        return copy;
    }

    private static ByteBuffer concat(List<ByteBuffer> parts) {
        ByteBuffer whole = ByteBuffer.allocate(parts.stream().mapToInt(ByteBuffer::remaining).sum());
        parts.forEach(part -> whole.put(part.duplicate()));
        return whole.flip();
    }
}
