package dev.websocketecho.handshake;

import dev.websocketecho.app.CurrentApplication;
import dev.websocketecho.app.EchoApplication;
import dev.websocketecho.handshake.HandshakeRules.Verdict;
import dev.websocketecho.limits.Admission;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The configurator of the application's endpoints: it carries the verdict on each handshake into the session's user
 * properties, for {@link SessionLifecycle} to act on when the connection opens; each endpoint's own subclass makes its
 * instances with the application they belong to.
 * <p>
 * The verdict is {@link HandshakeFilter}'s where it ran. Containers that upgrade a connection before any application
 * filter runs (Jetty) leave the {@link HandshakeRules} to this class, with the peer address such containers put in
 * the user properties; a refused connection is then closed as soon as it opens, before any message.
 * <p>
 * It decides permessage-deflate (RFC 7692) too, instead of each container's default: off unless
 * {@code echo.permessageDeflate} is on, and then whatever the container offers.
 */
public abstract class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    /** User property: the {@link Verdict} on the session's handshake. */
    static final String VERDICT = HandshakeConfigurator.class.getName() + ".verdict";
    /** Where Jetty and Tomcat put the peer's address; not (yet) part of the standard. */
    private static final String REMOTE_ADDRESS = "jakarta.websocket.endpoint.remoteAddress";

    /** Makes an endpoint for a new connection, with the application it belongs to. */
    protected abstract Object newEndpoint(EchoApplication application);

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(newEndpoint(CurrentApplication.get()));
    }

    /**
     * Off, no extension is negotiated: a compressed connection costs the server a compressor and a decompressor (some
     * hundred kilobytes on some containers), and a small compressed frame can inflate far past the message limit.
     */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return CurrentApplication.get().settings().permessageDeflate()
                ? super.getNegotiatedExtensions(installed, requested) : List.of();
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Map<String, Object> properties = config.getUserProperties();
        Admission admitted = HandshakeFilter.takeAdmission();
        properties.put(VERDICT, admitted != null ? Verdict.admitted(admitted) : judge(request, properties));
    }

    private static Verdict judge(HandshakeRequest request, Map<String, Object> properties) {
        EchoApplication application = CurrentApplication.get();
        List<String> hosts = header(request.getHeaders(), "Host");
        // The container has upgraded the connection: it speaks the version asked for.
        return new HandshakeRules(application).judge(HandshakeRules.SUPPORTED_VERSION,
                HandshakeRules.topicOf(request.getRequestURI().getRawPath()), header(request.getHeaders(), "Origin"),
                hosts.isEmpty() ? null : hosts.get(0), address(properties.get(REMOTE_ADDRESS)));
    }

    private static String address(Object remote) {
        return remote instanceof InetSocketAddress socket && socket.getAddress() != null
                ? socket.getAddress().getHostAddress() : null;
    }

    /** Header names are case-insensitive, and not every container's map is. */
    private static List<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey() != null && header.getKey().equalsIgnoreCase(name))
                .flatMap(header -> header.getValue().stream())
                .toList();
    }
}
