package dev.websocketecho.cluster;

import dev.websocketecho.message.Message;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvelopeTest {

    @Test
    void textTravelsAsTheSameText() {
        Envelope envelope = Envelope.decode(new Envelope("news.today", new Message<>("Grüße, 世界", 15)).encode());
        assertEquals("news.today", envelope.topic());
        assertEquals("Grüße, 世界", envelope.message().payload());
        assertEquals(15, envelope.message().bytes());
    }

    @Test
    void binaryTravelsAsTheSameBytesFromTheBufferPosition() {
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {9, 0, 1, (byte) 0xff, 2});
        bytes.position(1);
        Envelope envelope = Envelope.decode(new Envelope("t", new Message<>(bytes, 4)).encode());
        assertEquals(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xff, 2}), envelope.message().payload());
        assertEquals(4, envelope.message().bytes());
        assertEquals(1, bytes.position(), "the publisher's buffer is left as it was");
    }
}
