package dev.websocketecho.testing;

import dev.websocketecho.app.CurrentApplication;
import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.echo.EchoEndpoint;
import dev.websocketecho.limits.FrameBufferSizing;
import dev.websocketecho.push.TopicEndpoint;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.StaticHttpHandler;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@link EchoEndpoint} and {@link TopicEndpoint} on Tyrus' embedded Grizzly server with the settings a test chooses,
 * started in a fraction of a second, with the page of {@code webapp/} at the same context path: Tyrus as Payara and
 * GlassFish run it, without a servlet container, so the endpoint's configurator applies the handshake rules and the
 * peer's address is not known. One runs at a time in a JVM, as one application is deployed at a time in a WAR's class
 * loader.
 */
public final class EmbeddedEchoServer implements ServerUnderTest, AutoCloseable {

    public static final String CONTEXT_PATH = "/websocket-echo";

    private final HttpServer http = new HttpServer();
    private final NetworkListener listener;
    private final EchoApplication application;

    private EmbeddedEchoServer(EchoSettings settings, int port) throws IOException, DeploymentException {
        listener = new NetworkListener("echo", "127.0.0.1", port);
        // Pinging new sessions as they open, as on Payara: Tyrus on Grizzly loses the close of a peer that leaves
        // during the handshake here too.
        application = EchoApplication.start(settings, true);
        CurrentApplication.set(application);
        try {
            TyrusServerContainer container = new TyrusServerContainer(Set.of(EchoEndpoint.class, TopicEndpoint.class)) {
                private final WebSocketEngine engine = TyrusWebSocketEngine.builder(this)
                        .incomingBufferSize(FrameBufferSizing.tyrusBufferBytes(settings.maxMessageBytes()))
                        .build();

                @Override
                public void register(Class<?> endpointClass) throws DeploymentException {
                    engine.register(endpointClass, CONTEXT_PATH);
                }

                @Override
                public void register(ServerEndpointConfig config) throws DeploymentException {
                    engine.register(config, CONTEXT_PATH);
                }

                @Override
                public WebSocketEngine getWebSocketEngine() {
                    return engine;
                }
            };
            listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
            listener.registerAddOn(webSocketAddOn(container));
            http.addListener(listener);
            http.getServerConfiguration().addHttpHandler(new StaticHttpHandler(webapp().toString()),
                    HttpHandlerRegistration.builder().contextPath(CONTEXT_PATH).urlPattern("/").build());
            http.start();
            container.start(CONTEXT_PATH, listener.getPort());
        } catch (IOException | DeploymentException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** With the given settings, on a free port. */
    public static EmbeddedEchoServer start(EchoSettings settings) throws IOException, DeploymentException {
        return new EmbeddedEchoServer(settings, 0);
    }

    /** With the default settings, on a free port. */
    public static EmbeddedEchoServer start() throws IOException, DeploymentException {
        return start(TestSettings.defaults());
    }

    /** With the default settings on the given port, for a test that stops a server and starts another in its place. */
    public static EmbeddedEchoServer startOn(int port) throws IOException, DeploymentException {
        return new EmbeddedEchoServer(TestSettings.defaults(), port);
    }

    /**
     * Tyrus' own {@code Server} listens on every interface; mounting Tyrus on a listener of our own, on 127.0.0.1,
     * takes its add-on, whose constructor is package-private.
     */
    private static AddOn webSocketAddOn(ServerContainer container) {
        try {
            Constructor<?> constructor = Class.forName("org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn")
                    .getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return (AddOn) constructor.newInstance(container, CONTEXT_PATH);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This Tyrus has no WebSocketAddOn(ServerContainer, String)", e);
        }
    }

    /** {@code webapp/} of the project whose tests these are, wherever they are run from. */
    private static Path webapp() {
        try {
            Path testClasses = Path.of(EmbeddedEchoServer.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            return testClasses.resolve("../../webapp").normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public EchoApplication application() {
        return application;
    }

    @Override
    public long stat(String name) {
        Map<String, Long> counters = application.counters();
        if (!counters.containsKey(name)) {
            throw new AssertionError("No counter " + name + " in " + counters);
        }
        return counters.get(name);
    }

    @Override
    public EchoSettings settings() {
        return application.settings();
    }

    @Override
    public Container container() {
        return Container.EMBEDDED_TYRUS;
    }

    public int port() {
        return listener.getPort();
    }

    public URI pageUri() {
        return URI.create("http://127.0.0.1:" + port() + CONTEXT_PATH + "/");
    }

    @Override
    public URI echoUri() {
        return URI.create("ws://127.0.0.1:" + port() + CONTEXT_PATH + "/echo");
    }

    @Override
    public void close() {
        http.shutdownNow();
        CurrentApplication.clear(application);
        application.close();
    }
}
