package dev.websocketecho.it;

import dev.websocketecho.testing.Deviation;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static dev.websocketecho.testing.RawWebSocket.BINARY;
import static dev.websocketecho.testing.RawWebSocket.CLOSE;
import static dev.websocketecho.testing.RawWebSocket.CONTINUATION;
import static dev.websocketecho.testing.RawWebSocket.PING;
import static dev.websocketecho.testing.RawWebSocket.PONG;
import static dev.websocketecho.testing.RawWebSocket.TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6455 on the wire: what the container and the endpoint answer to frames that no well-behaved client sends, to
 * control frames and to bad handshakes. After every case a fresh client must still be served.
 */
class ProtocolIT extends DeployedWar {

    private static final byte[] INVALID_UTF8 = {(byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0xBD, (byte) 0xB9,
            (byte) 0xCF, (byte) 0x83, (byte) 0xCE, (byte) 0xBC, (byte) 0xCE, (byte) 0xB5, (byte) 0xED, (byte) 0xA0,
            (byte) 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64};

    private RawWebSocket open() throws Exception {
        return RawWebSocket.open(echoUri().getPort(), echoUri().getPath());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @AfterEach
    void aFreshClientIsStillServed() throws Exception {
        try (EchoClient client = EchoClient.connect(echoUri())) {
            client.sendText("still serving");
            assertEquals("still serving", client.nextText());
        }
    }

    @Test
    void unmaskedClientFrameIsAProtocolError() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendUnmasked(TEXT, utf8("not masked"));
            if (container().has(Deviation.UNMASKED_FRAMES_ACCEPTED)) {
                // Deviation, Tyrus 2.1.5 to 2.2.2 (Payara, GlassFish): Tyrus reads the mask bit but never requires it
                // (org.glassfish.tyrus.core.ProtocolHandler#unframe), so the frame is taken as it came, and echoed.
                assertEquals("not masked", ws.readSkippingPings().text());
                return;
            }
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void reservedBitsWithoutAnExtensionAreAProtocolError(int rsv) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(true, rsv, TEXT, utf8("reserved bits"));
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void reservedOpcodesAreAProtocolError(int opcode) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(opcode, utf8("reserved opcode"));
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @Test
    void controlFrameOver125BytesIsAProtocolError() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(PING, new byte[126]);
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @Test
    void fragmentedControlFrameIsAProtocolError() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(false, 0, PING, utf8("fragmented ping"));
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @Test
    void continuationWithNothingToContinueIsAProtocolError() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(true, 0, CONTINUATION, utf8("orphan"));
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @Test
    void newDataFrameInsideAFragmentedMessageIsAProtocolError() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(false, 0, TEXT, utf8("first half, "));
            ws.send(true, 0, BINARY, utf8("not a continuation"));
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @Test
    void invalidUtf8InATextMessageIs1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(TEXT, INVALID_UTF8);
            assertEquals(1007, ws.awaitClose().closeCode());
        }
    }

    /**
     * A peer that sends a long text frame whose first bytes are not UTF-8 is refused once those bytes arrive, not after
     * the rest of the frame (Autobahn cases 6.4.2 to 6.4.4).
     */
    @Test
    void invalidUtf8IsRefusedWhereItStandsNotAtTheEndOfTheFrame() throws Exception {
        byte[] start = Arrays.copyOf(INVALID_UTF8, 64 * 1024);
        Arrays.fill(start, INVALID_UTF8.length, start.length, (byte) 'a');
        try (RawWebSocket ws = open().answeringPings()) {
            // A message first: a pong cannot pass the unfinished frame below, and on Tyrus a connection that has sent
            // nothing complete within the first-pong timeout is closed.
            ws.send(TEXT, utf8("heard"));
            assertEquals("heard", ws.readSkippingPings().text());
            ws.startFrame(true, 0, TEXT, 2L * start.length);
            ws.sendPayload(start, 0, start.length);
            RawWebSocket.Frame early = ws.awaitClose(Duration.ofSeconds(2));
            if (container().has(Deviation.TEXT_DECODED_WHOLE_FRAMES_ONLY)) {
                // Deviation, Tyrus and Open Liberty: a frame is read whole before its text is decoded, so the close
                // waits for its end.
                assertEquals(null, early, "closed before the end of the frame");
                byte[] rest = new byte[start.length];
                Arrays.fill(rest, (byte) 'a');
                ws.sendPayload(rest, 0, rest.length);
                assertEquals(1007, ws.awaitClose().closeCode());
                return;
            }
            assertNotEquals(null, early, "no close within 2 s of the invalid bytes");
            assertEquals(1007, early.closeCode());
        }
    }

    /**
     * A valid message followed at once by a broken frame: the message is echoed before the connection is closed for the
     * broken frame (Autobahn cases 3.2, 4.1.3 and 4.1.5).
     */
    @ParameterizedTest
    @ValueSource(strings = {"reserved bit", "reserved opcode"})
    void aValidMessageRightBeforeABrokenFrameIsEchoedBeforeTheClose(String broken) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(TEXT, utf8("valid"));
            if (broken.equals("reserved bit")) {
                ws.send(true, 4, TEXT, utf8("reserved bit"));
            } else {
                ws.send(3, utf8("reserved opcode"));
            }
            RawWebSocket.Frame first = ws.readSkippingPings();
            if (container().has(Deviation.ECHO_MAY_BE_LOST_BEFORE_A_BROKEN_FRAME) && first.opcode() == CLOSE) {
                // Deviation, Undertow: the broken frame may close the connection before the echo of the one before it
                // is written, and then that echo is lost; which comes first varies from run to run.
                assertEquals(1002, first.closeCode());
                return;
            }
            assertEquals(TEXT, first.opcode());
            assertEquals("valid", first.text());
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @Test
    void invalidUtf8InTheFirstFragmentIs1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(false, 0, TEXT, new byte[] {0x61, (byte) 0xFF, 0x62});
            ws.send(true, 0, CONTINUATION, utf8("rest"));
            assertEquals(1007, ws.awaitClose().closeCode());
        }
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsIs1007() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(false, 0, TEXT, new byte[] {0x61, (byte) 0xE2, (byte) 0x82});
            ws.send(true, 0, CONTINUATION, new byte[] {0x28, 0x62});
            assertEquals(1007, ws.awaitClose().closeCode());
        }
    }

    @Test
    void closeFrameWithAOneBytePayloadIsAProtocolError() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(CLOSE, new byte[] {0x03});
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1016, 2000, 2999})
    void closeCodesThatMustNotAppearOnTheWireAreAProtocolError(int code) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendClose(code, new byte[0]);
            assertEquals(1002, ws.awaitClose().closeCode());
        }
    }

    @Test
    void invalidUtf8InACloseReasonIsRefused() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendClose(1000, INVALID_UTF8);
            int code = ws.awaitClose().closeCode();
            assertTrue(code == 1007 || code == 1002, "closed with " + code);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 3000, 4000, 4999})
    void aValidCloseIsAnsweredWithTheSameCodeAndThenTheConnectionEnds(int code) throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendClose(code, utf8("bye"));
            assertEquals(code, ws.awaitClose().closeCode());
            assertTrue(ws.awaitEndOfStream(), "the server kept the TCP connection open");
        }
    }

    @Test
    void pingIsAnsweredWithAPongCarryingTheSamePayload() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(PING, utf8("ping payload ✓"));
            RawWebSocket.Frame pong = ws.readSkippingPings();
            assertEquals(PONG, pong.opcode());
            assertEquals("ping payload ✓", pong.text());
        }
    }

    @Test
    void pingBetweenTheFragmentsOfAMessageIsAnsweredAndTheMessageStillEchoesWhole() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(false, 0, TEXT, utf8("frag"));
            ws.send(PING, utf8("in between"));
            ws.send(true, 0, CONTINUATION, utf8("mented"));
            RawWebSocket.Frame pong = ws.readSkippingPings();
            assertEquals(PONG, pong.opcode());
            assertEquals("in between", pong.text());
            RawWebSocket.Frame echo = ws.readSkippingPings();
            assertEquals(TEXT, echo.opcode());
            assertEquals("fragmented", echo.text());
        }
    }

    @Test
    void unsolicitedPongIsIgnored() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send(PONG, utf8("unsolicited"));
            ws.send(BINARY, new byte[] {1, 2, 3});
            RawWebSocket.Frame echo = ws.readSkippingPings();
            assertEquals(BINARY, echo.opcode());
            assertArrayEquals(new byte[] {1, 2, 3}, echo.payload());
        }
    }

    @Test
    void handshakeWithoutSecWebSocketKeyIsRefusedWithA4xx() throws Exception {
        assertClientError(handshake("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"));
    }

    @Test
    void handshakeWithAnUnsupportedVersionGets426WithTheSupportedOne() throws Exception {
        RawWebSocket.Response response = handshake("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n");
        assertEquals(426, response.status(), response.toString());
        assertEquals("13", response.headers().get("sec-websocket-version"), response.toString());
    }

    @Test
    void plainGetWithoutUpgradeGetsAClientErrorNotA500() throws Exception {
        RawWebSocket.Response response = handshake("");
        assertNotEquals(101, response.status());
        assertTrue(response.status() < 500, response.toString());
    }

    private RawWebSocket.Response handshake(String headers) throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(echoUri().getPort(), "GET " + echoUri().getPath()
                + " HTTP/1.1\r\nHost: 127.0.0.1:" + echoUri().getPort() + "\r\n" + headers
                + "Connection: close\r\n\r\n".substring(headers.contains("Connection:") ? 19 : 0))) {
            return ws.response();
        }
    }

    private static void assertClientError(RawWebSocket.Response response) {
        assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
    }
}
