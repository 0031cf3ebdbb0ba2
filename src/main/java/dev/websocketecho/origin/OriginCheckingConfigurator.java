package dev.websocketecho.origin;

import dev.websocketecho.config.EchoSettings;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.Map;

/**
 * The second line of the origin defence, for containers that upgrade a connection before any application filter runs
 * (Jetty does): the handshake is judged by the same {@link OriginPolicy} as in {@link OriginFilter}, and a refused one
 * is marked so that the endpoint closes the connection with 1008 as soon as it opens, before any message.
 */
public class OriginCheckingConfigurator extends ServerEndpointConfig.Configurator {

    /** User property of a refused handshake: the origin it came from. */
    public static final String REFUSED_ORIGIN = OriginCheckingConfigurator.class.getName() + ".refusedOrigin";

    private final OriginPolicy policy = OriginPolicy.of(EchoSettings.current());

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        List<String> origins = header(request.getHeaders(), "Origin");
        List<String> hosts = header(request.getHeaders(), "Host");
        if (!policy.allowsHandshake(origins, hosts.isEmpty() ? null : hosts.get(0))) {
            config.getUserProperties().put(REFUSED_ORIGIN, String.join(", ", origins));
        }
    }

    /** Header names are case-insensitive, and not every container's map is. */
    private static List<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey() != null && header.getKey().equalsIgnoreCase(name))
                .flatMap(header -> header.getValue().stream())
                .toList();
    }
}
