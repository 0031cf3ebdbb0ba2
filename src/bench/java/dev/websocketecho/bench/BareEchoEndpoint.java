package dev.websocketecho.bench;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bare endpoint: the plainest echo the WebSocket API allows, with nothing of this project's in it. Deployed alone
 * in a WAR of its own on the same container, it shows what the project's own code costs.
 */
@ServerEndpoint("/echo")
public class BareEchoEndpoint {

    @OnMessage
    public void onText(Session session, String text) throws IOException {
        session.getBasicRemote().sendText(text);
    }

    @OnMessage
    public void onBinary(Session session, ByteBuffer bytes) throws IOException {
        session.getBasicRemote().sendBinary(bytes);
    }
}
