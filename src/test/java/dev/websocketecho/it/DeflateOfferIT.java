package dev.websocketecho.it;

import dev.websocketecho.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * permessage-deflate (RFC 7692) is off by default on every container, whatever the container would do by itself:
 * an offer, as every browser makes, is answered without the extension, and messages go uncompressed.
 */
class DeflateOfferIT extends DeployedWar {

    @Test
    void aBrowsersOfferIsDeclinedByDefault() throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(echoUri().getPort(),
                RawWebSocket.upgradeRequest(echoUri().getPort(), echoUri().getPath(), RawWebSocket.DEFLATE_OFFER))) {
            assertEquals(101, ws.response().status(), ws.response().toString());
            assertNull(ws.response().headers().get("sec-websocket-extensions"), ws.response().toString());
            byte[] message = "uncompressed".getBytes(StandardCharsets.UTF_8);
            ws.send(RawWebSocket.TEXT, message);
            RawWebSocket.Frame echo = ws.readSkippingPings();
            assertEquals(0, echo.rsv(), "a compressed echo");
            assertArrayEquals(message, echo.payload());
        }
    }
}
