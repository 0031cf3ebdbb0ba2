package dev.websocketecho.testing;

import dev.websocketecho.echo.EchoEndpoint;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.StaticHttpHandler;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOns;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@link EchoEndpoint} on Tyrus' embedded Grizzly server, started in a fraction of a second, with the page of
 * {@code webapp/} at the same context path. Tyrus' own {@code Server} listens on every interface; this one listens on
 * 127.0.0.1 only.
 */
public final class EmbeddedEchoServer implements AutoCloseable {

    public static final String CONTEXT_PATH = "/websocket-echo";

    private final HttpServer http = new HttpServer();
    private final NetworkListener listener;

    /** On a free port. */
    public EmbeddedEchoServer() throws IOException, DeploymentException {
        this(0);
    }

    /** On the given port, for a test that stops a server and starts another where the first one was. */
    public EmbeddedEchoServer(int port) throws IOException, DeploymentException {
        listener = new NetworkListener("echo", "127.0.0.1", port);
        TyrusServerContainer container = new TyrusServerContainer(Set.of(EchoEndpoint.class)) {
            private final WebSocketEngine engine = TyrusWebSocketEngine.builder(this).build();

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
        listener.registerAddOn(WebSocketAddOns.create(container, CONTEXT_PATH));
        http.addListener(listener);
        http.getServerConfiguration().addHttpHandler(new StaticHttpHandler(Path.of("webapp").toAbsolutePath().toString()),
                HttpHandlerRegistration.builder().contextPath(CONTEXT_PATH).urlPattern("/").build());
        http.start();
        container.start(CONTEXT_PATH, listener.getPort());
    }

    public int port() {
        return listener.getPort();
    }

    public URI pageUri() {
        return URI.create("http://127.0.0.1:" + port() + CONTEXT_PATH + "/");
    }

    public URI echoUri() {
        return URI.create("ws://127.0.0.1:" + port() + CONTEXT_PATH + "/echo");
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
