package dev.websocketecho.app;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The application of this deployment, for the one object the container makes where it cannot be handed over: the
 * configurator of an annotated endpoint, which the container instantiates itself (Tyrus even ignores a configurator
 * given with {@code ServerContainer#addEndpoint(ServerEndpointConfig)} for an annotated class). Everything else is
 * handed the application. Each deployed WAR has a class loader of its own, and so its own slot.
 */
public final class CurrentApplication {

    private static final AtomicReference<EchoApplication> CURRENT = new AtomicReference<>();

    private CurrentApplication() {
    }

    /** @throws IllegalStateException when another application is set already: one at a time */
    public static void set(EchoApplication application) {
        if (!CURRENT.compareAndSet(null, application)) {
            throw new IllegalStateException("An application is running here already");
        }
    }

    public static void clear(EchoApplication application) {
        CURRENT.compareAndSet(application, null);
    }

    /** @throws IllegalStateException before the application is deployed or after it is undeployed */
    public static EchoApplication get() {
        EchoApplication application = CURRENT.get();
        if (application == null) {
            throw new IllegalStateException("websocket-echo is not deployed");
        }
        return application;
    }
}
