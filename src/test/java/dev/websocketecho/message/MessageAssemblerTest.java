package dev.websocketecho.message;

import dev.websocketecho.message.MessageAssembler.TooBigException;
import dev.websocketecho.testing.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageAssemblerTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "é", "€", "😀", Payloads.UNICODE, "𐍈a€é"})
    void countsUtf8Bytes(String text) {
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, MessageAssembler.utf8Length(text));
    }

    @Test
    void aSinglePartMessageIsPassedOnUncopied() throws TooBigException {
        String text = "hello";
        var message = MessageAssembler.text(10).add(text, true);
        assertSame(text, message.payload());
        assertEquals(5, message.bytes());
    }

    @Test
    void joinsTextParts() throws TooBigException {
        var assembler = MessageAssembler.text(100);
        assertNull(assembler.add("héllo ", false));
        assertNull(assembler.add("", false));
        var message = assembler.add("😀", true);
        assertEquals("héllo 😀", message.payload());
        assertEquals(11, message.bytes());
    }

    @Test
    void copiesPendingBinaryPartsBecauseContainersReuseTheirBuffers() throws TooBigException {
        var assembler = MessageAssembler.binary(100);
        ByteBuffer reused = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assembler.add(reused, false);
        reused.put(0, (byte) 9);
        var message = assembler.add(ByteBuffer.wrap(new byte[] {4}), true);
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), message.payload());
        assertEquals(4, message.bytes());
    }

    @Test
    void aMessageAtTheLimitPasses() throws TooBigException {
        var assembler = MessageAssembler.text(4);
        assertEquals(4, assembler.add("😀", true).bytes());
        assertEquals(4, MessageAssembler.binary(4).add(ByteBuffer.allocate(4), true).bytes());
    }

    @Test
    void theLimitCountsBytesNotCharacters() {
        var assembler = MessageAssembler.text(3);
        var tooBig = assertThrows(TooBigException.class, () -> assembler.add("😀", true));
        assertEquals("Message too big: the limit is 3 bytes", tooBig.getMessage());
    }

    @Test
    void theLimitHoldsAcrossPartsAndTheNextMessageStartsAfresh() throws TooBigException {
        var assembler = MessageAssembler.binary(10);
        assembler.add(ByteBuffer.allocate(6), false);
        assertThrows(TooBigException.class, () -> assembler.add(ByteBuffer.allocate(5), false));
        var next = assembler.add(ByteBuffer.allocate(10), true);
        assertEquals(10, next.bytes());
        assertTrue(next.payload().hasRemaining());
    }
}
