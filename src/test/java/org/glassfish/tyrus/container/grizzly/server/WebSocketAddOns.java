package org.glassfish.tyrus.container.grizzly.server;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.spi.ServerContainer;

/**
 * Opens Tyrus' package-private {@link WebSocketAddOn} constructor to the tests, which mount Tyrus on a Grizzly
 * listener of their own: Tyrus' {@code Server} always listens on 0.0.0.0, the tests on 127.0.0.1 only.
 */
public final class WebSocketAddOns {

    private WebSocketAddOns() {
    }

    public static AddOn create(ServerContainer container, String contextPath) {
        return new WebSocketAddOn(container, contextPath);
    }
}
