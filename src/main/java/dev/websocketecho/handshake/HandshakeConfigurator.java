package dev.websocketecho.handshake;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.limits.Admission;
import dev.websocketecho.limits.ConnectionLimitFilter;
import dev.websocketecho.limits.ConnectionLimits;
import dev.websocketecho.origin.OriginFilter;
import dev.websocketecho.origin.OriginPolicy;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Carries what was decided about a handshake into its session's user properties, for the endpoint to act on when the
 * connection opens: the connection's {@link Admission}, and a refused origin.
 * <p>
 * It is also the second line of the filters' defences, for containers that upgrade a connection before any
 * application filter runs (Jetty does): there the origin is judged by the same {@link OriginPolicy} as in
 * {@link OriginFilter}, and the connection is counted here, with the peer address such containers put in the user
 * properties. A refused connection is closed as soon as it opens, before any message.
 * <p>
 * It decides permessage-deflate (RFC 7692) too, instead of each container's default: off unless
 * {@code echo.permessageDeflate} is on, and then whatever the container offers.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    /** User property of a refused handshake: the origin it came from. */
    public static final String REFUSED_ORIGIN = HandshakeConfigurator.class.getName() + ".refusedOrigin";
    /** User property: the connection's {@link Admission}. */
    public static final String ADMISSION = HandshakeConfigurator.class.getName() + ".admission";
    /** Where Jetty and Tomcat put the peer's address; not (yet) part of the standard. */
    private static final String REMOTE_ADDRESS = "jakarta.websocket.endpoint.remoteAddress";

    private final OriginPolicy policy = OriginPolicy.of(EchoSettings.current());
    private final boolean permessageDeflate = EchoSettings.current().permessageDeflate();

    /**
     * Off, no extension is negotiated: a compressed connection costs the server a compressor and a decompressor (some
     * hundred kilobytes on some containers), and a small compressed frame can inflate far past the message limit.
     */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return permessageDeflate ? super.getNegotiatedExtensions(installed, requested) : List.of();
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Map<String, Object> properties = config.getUserProperties();
        Admission admission = ConnectionLimitFilter.takeAdmission();
        if (admission == null) {
            admission = ConnectionLimits.instance().admit(address(properties.get(REMOTE_ADDRESS)));
        }
        properties.put(ADMISSION, admission);
        List<String> origins = header(request.getHeaders(), "Origin");
        List<String> hosts = header(request.getHeaders(), "Host");
        if (!policy.allowsHandshake(origins, hosts.isEmpty() ? null : hosts.get(0))) {
            properties.put(REFUSED_ORIGIN, String.join(", ", origins));
        }
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
