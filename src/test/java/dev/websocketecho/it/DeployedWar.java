package dev.websocketecho.it;

import dev.websocketecho.config.EchoSettings;
import dev.websocketecho.testing.Container;
import dev.websocketecho.testing.ServerUnderTest;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deploys the WAR that the build produced, unchanged, so the tests exercise exactly what users deploy; the tests run
 * as clients of the container over HTTP and WebSocket.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class DeployedWar implements ServerUnderTest {

    private static final Path WAR = Path.of("target", "websocket-echo.war");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    public static WebArchive war() {
        if (!Files.isRegularFile(WAR)) {
            throw new IllegalStateException(WAR.toAbsolutePath() + " is missing; integration tests run after package");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, WAR.toFile());
    }

    /**
     * The settings the container runs with: the build passes them in the environment, which the tests share with the
     * container they start.
     */
    @Override
    public EchoSettings settings() {
        return EchoSettings.load(name -> null, System::getenv);
    }

    @Override
    public Container container() {
        return Container.underTest();
    }

    /** The application's base URL, such as {@code http://127.0.0.1:8123/websocket-echo/}, on loopback. */
    protected URI httpBase() {
        return URI.create("http://127.0.0.1:" + base.getPort() + "/websocket-echo/");
    }

    @Override
    public URI echoUri() {
        return URI.create("ws://127.0.0.1:" + base.getPort() + "/websocket-echo/echo");
    }

    /** The origin of the application's own page. */
    protected String ownOrigin() {
        return "http://127.0.0.1:" + base.getPort();
    }

    protected HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(httpBase().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long stat(String name) {
        String json = get("api/stats").body();
        Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!matcher.find()) {
            throw new AssertionError("No " + name + " in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }
}
