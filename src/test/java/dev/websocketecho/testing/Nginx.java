package dev.websocketecho.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's nginx, run in the foreground from a temporary directory with the recipes of {@code deploy/nginx/}: the
 * plain proxy on one loopback port and the TLS-terminating one on another, with a certificate made for the run.
 */
public final class Nginx implements AutoCloseable {

    private static final Path RECIPES = Path.of("deploy", "nginx");
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path directory;
    private final Process process;
    private final int port;
    private final int tlsPort;

    private Nginx(Path directory, Process process, int port, int tlsPort) {
        this.directory = directory;
        this.process = process;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** Starts nginx in front of an application server listening on 127.0.0.1:{@code upstreamPort}. */
    public static Nginx start(int upstreamPort) throws IOException, InterruptedException {
        String nginx = Executables.require("nginx", "apt-get install nginx");
        String openssl = Executables.require("openssl", "apt-get install openssl");
        Path directory = Files.createTempDirectory("websocket-echo-nginx");
        int port = freePort();
        int tlsPort = freePort();
        int redirectPort = freePort();
        run(directory, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", "key.pem", "-out", "cert.pem");

        String plain = Files.readString(RECIPES.resolve("websocket-echo.conf"))
                .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + upstreamPort + ";")
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";");
        String tls = Files.readString(RECIPES.resolve("websocket-echo-tls.conf"))
                .replace("listen 443 ssl;", "listen 127.0.0.1:" + tlsPort + " ssl;")
                .replace("listen 80;", "listen 127.0.0.1:" + redirectPort + ";")
                .replace("/etc/ssl/certs/echo.example.pem", directory.resolve("cert.pem").toString())
                .replace("/etc/ssl/private/echo.example.key", directory.resolve("key.pem").toString());
        Files.writeString(directory.resolve("websocket-echo.conf"), plain);
        Files.writeString(directory.resolve("websocket-echo-tls.conf"), tls);
        Files.writeString(directory.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {
                    worker_connections 256;
                }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/websocket-echo.conf;
                    include %1$s/websocket-echo-tls.conf;
                }
                """.formatted(directory));

        Process process = new ProcessBuilder(nginx, "-p", directory.toString(), "-c", "nginx.conf")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("console.log").toFile())
                .start();
        Nginx started = new Nginx(directory, process, port, tlsPort);
        try {
            started.awaitListening(port);
            started.awaitListening(tlsPort);
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    public int port() {
        return port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** An HTTP client that trusts the certificate nginx serves on {@link #tlsPort()}. */
    public HttpClient trustingClient() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = new ByteArrayInputStream(Files.readAllBytes(directory.resolve("cert.pem")))) {
            trusted.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(EchoClient.TIMEOUT).build();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening(int port) {
        Eventually.assertEventually(true, () -> !process.isAlive() || accepts(port), STARTUP,
                "nginx listening on " + port);
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx stopped: " + log());
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("console.log")) + Files.readString(directory.resolve("error.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("openssl.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + Files.readString(directory.resolve("openssl.log")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
