package dev.websocketecho.push;

import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.handshake.HandshakeConfigurator;

/** Makes each {@link TopicEndpoint} with the application it belongs to. */
public class TopicConfigurator extends HandshakeConfigurator {

    @Override
    protected Object newEndpoint(EchoApplication application) {
        return new TopicEndpoint(application);
    }
}
