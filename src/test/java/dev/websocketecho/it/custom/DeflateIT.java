package dev.websocketecho.it.custom;

import dev.websocketecho.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate switched on ({@code ECHO_PERMESSAGE_DEFLATE=on}, set by the build for the tests of this package):
 * negotiated where the container implements it for annotated endpoints, declined elsewhere; and a small compressed
 * frame that inflates past the message limit is refused with 1009 like any other message over it.
 */
class DeflateIT extends WithCustomSettings {

    /** The trailer that RFC 7692 removes from each compressed message, and adds back before inflating it. */
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private RawWebSocket offering() throws Exception {
        RawWebSocket ws = RawWebSocket.handshake(echoUri().getPort(),
                RawWebSocket.upgradeRequest(echoUri().getPort(), echoUri().getPath(), RawWebSocket.DEFLATE_OFFER));
        assertEquals(101, ws.response().status(), ws.response().toString());
        return ws;
    }

    @Test
    void negotiatedWhereTheContainerImplementsItAndMessagesEchoCompressed() throws Exception {
        try (RawWebSocket ws = offering()) {
            String extensions = ws.response().headers().get("sec-websocket-extensions");
            if (!container().negotiatesDeflate()) {
                assertNull(extensions, "this container negotiated " + extensions);
                return;
            }
            assertTrue(extensions != null && extensions.startsWith("permessage-deflate"), ws.response().toString());
            String text = "compressed ".repeat(100);
            ws.send(true, 4, RawWebSocket.TEXT, deflate(text.getBytes(StandardCharsets.UTF_8)));
            RawWebSocket.Frame echo = ws.readSkippingPings();
            assertEquals(RawWebSocket.TEXT, echo.opcode());
            byte[] payload = echo.rsv() == 4 ? inflate(echo.payload()) : echo.payload();
            assertEquals(text, new String(payload, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCompressedFrameThatInflatesPastTheLimitIs1009() throws Exception {
        long limit = settings().maxMessageBytes();
        try (RawWebSocket ws = offering()) {
            if (!container().negotiatesDeflate()) {
                return;
            }
            byte[] bomb = deflate(new byte[Math.toIntExact(limit + 1024 * 1024)]);
            assertTrue(bomb.length < 1024 * 1024, "compressed to " + bomb.length + " bytes");
            ws.send(true, 4, RawWebSocket.BINARY, bomb);
            RawWebSocket.Frame close = ws.awaitClose();
            assertEquals(1009, close.closeCode());
            assertEquals("Message too big: the limit is " + limit + " bytes", close.text().substring(2));
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int length;
        do {
            length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, length);
        } while (length == buffer.length);
        deflater.end();
        byte[] compressed = out.toByteArray();
        return Arrays.copyOf(compressed, compressed.length - TAIL.length);
    }

    private static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(data);
        whole.writeBytes(TAIL);
        inflater.setInput(whole.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int length;
        while ((length = inflater.inflate(buffer)) > 0) {
            out.write(buffer, 0, length);
        }
        inflater.end();
        return out.toByteArray();
    }
}
