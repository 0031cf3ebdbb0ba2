package dev.websocketecho.it.custom;

import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.Payloads;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The WAR on a container whose environment raises the limit to 32 MiB ({@code ECHO_MAX_MESSAGE_BYTES}, set by the
 * build for the tests of this package): configuration, not a rebuild, decides how large a message may be.
 */
class LargeMessageIT extends WithCustomSettings {

    private static final int MIB = 1024 * 1024;

    @Test
    void echoesA16MiBSingleFrameMessageByteForByte() throws Exception {
        ByteBuffer bytes = Payloads.randomBytes(16 * MIB, 20);
        String text = Payloads.asciiText(16 * MIB - 4) + "😀";
        try (EchoClient client = EchoClient.connect(echoUri())) {
            // A small echo first: on Tyrus a connection that has sent nothing must answer the first ping within
            // echo.firstPongTimeoutMillis (2 s), and its pong would wait behind the 16 MiB frame, which Tyrus hears only
            // once all of it has arrived; on a loaded machine that took longer, and the connection was closed.
            client.sendText("first");
            assertEquals("first", client.nextText());
            client.sendBinary(bytes.duplicate());
            assertEquals(bytes, client.nextBinary());
            client.sendText(text);
            assertEquals(text, client.nextText());
        }
    }

    /** In parts of 1 MiB, so that the idle timeout never races the upload, however slow the machine. */
    @Test
    void refusesAMessageOverTheRaisedLimitWith1009() {
        try (EchoClient client = EchoClient.connect(echoUri())) {
            client.sendRefusedInParts(ByteBuffer.allocate(32 * MIB + 1), MIB);
            assertEquals(new EchoClient.Closed(1009, "Message too big: the limit is 33554432 bytes"),
                    client.awaitClose());
        }
    }
}
