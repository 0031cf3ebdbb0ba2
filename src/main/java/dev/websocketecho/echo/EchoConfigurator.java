package dev.websocketecho.echo;

import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.handshake.HandshakeConfigurator;

/** Makes each {@link EchoEndpoint} with the application it belongs to. */
public class EchoConfigurator extends HandshakeConfigurator {

    @Override
    protected Object newEndpoint(EchoApplication application) {
        return new EchoEndpoint(application);
    }
}
