package dev.websocketecho.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The recipe of {@code deploy/cluster/}, run as its README says: Payara Micro instances in one data grid behind nginx,
 * on free loopback ports, started and stopped by {@code cluster.sh}.
 */
public final class PayaraCluster implements AutoCloseable {

    private static final Path SCRIPT = Path.of("deploy", "cluster", "cluster.sh");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final Path runDirectory;
    private final int proxyPort;
    private final int[] httpPorts;
    private final Map<String, String> environment;

    private PayaraCluster(Path runDirectory, int proxyPort, int[] httpPorts, Map<String, String> environment) {
        this.runDirectory = runDirectory;
        this.proxyPort = proxyPort;
        this.httpPorts = httpPorts;
        this.environment = environment;
    }

    /**
     * Starts {@code instances} instances of {@code war} on the Payara Micro jar at {@code payaraMicroJar}, and nginx.
     *
     * @param runDirectory where the script keeps the logs, the process ids and nginx's files
     * @param settings     {@code ECHO_*} settings for every instance
     */
    public static PayaraCluster start(Path runDirectory, int instances, Path payaraMicroJar, Path war,
                                      Map<String, String> settings) throws IOException, InterruptedException {
        int[] ports = freePorts(2 * instances + 1);
        int[] httpPorts = Arrays.copyOfRange(ports, 0, instances);
        int[] gridPorts = Arrays.copyOfRange(ports, instances, 2 * instances);
        Files.createDirectories(runDirectory);
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("INSTANCES", String.valueOf(instances));
        environment.put("PROXY_PORT", String.valueOf(ports[2 * instances]));
        environment.put("HTTP_PORTS", join(httpPorts));
        environment.put("GRID_PORTS", join(gridPorts));
        environment.put("RUN_DIR", runDirectory.toString());
        environment.put("PAYARA_MICRO_JAR", payaraMicroJar.toString());
        environment.put("WAR", war.toString());
        PayaraCluster cluster = new PayaraCluster(runDirectory, ports[2 * instances], httpPorts, environment);
        try {
            cluster.run("start", START_TIMEOUT);
        } catch (IOException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** A URI through nginx, {@code path} under the context root, for example {@code topics/news}. */
    public URI viaProxy(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + proxyPort + "/websocket-echo/" + path);
    }

    /** A URI of instance {@code index} (from 0) itself. */
    public URI direct(int index, String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + httpPorts[index] + "/websocket-echo/" + path);
    }

    public int instances() {
        return httpPorts.length;
    }

    /** The process id of instance {@code index} (from 0), as the script wrote it. */
    public long pid(int index) throws IOException {
        return Long.parseLong(Files.readString(runDirectory.resolve("instance-" + (index + 1) + ".pid")).trim());
    }

    /** Kills instance {@code index} (from 0) with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill(int index) throws IOException, InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid(index))
                .orElseThrow(() -> new IllegalStateException("Instance " + (index + 1) + " runs no more"));
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Stops nginx and every instance that still runs. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("stop", STOP_TIMEOUT);
    }

    private void run(String command, Duration timeout) throws IOException, InterruptedException {
        Path log = runDirectory.resolve("cluster-" + command + ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("cluster.sh " + command + " took over " + timeout + ":\n"
                    + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("cluster.sh " + command + " failed (" + process.exitValue() + "):\n"
                    + Files.readString(log));
        }
    }

    private static String join(int[] ports) {
        return Arrays.stream(ports).mapToObj(String::valueOf).collect(Collectors.joining(" "));
    }

    /** Distinct free loopback ports: all are held open until every one is chosen. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }
}
