package dev.websocketecho.bench;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Runs every scenario against every server in interleaved rounds, each server freshly started for its turn, and writes
 * the medians across rounds as ratios to the Netty reference of the same round: {@code target/bench/BENCHMARKS.md}
 * and {@code target/bench/benchmark.svg}. Started by {@code ./mvnw -Pbench verify}; the settings come as system
 * properties (see the profile in the POM).
 */
public final class Benchmark {

    /** The capacity scenario, run first after each start so that earlier scenarios' garbage does not blur it. */
    private static final String CAPACITY = "d";
    private static final String FAN_OUT = "g";
    /** Fan-out across the instances of a cluster: {@link ClusterBenchmark}. */
    private static final String ACROSS_INSTANCES = "h";

    private final Path out;
    private final String java;
    private final String classpath;
    private final int seconds;
    /** Why a scenario failed, by scenario and server, for the report. */
    private final Map<String, String> failures = new LinkedHashMap<>();

    private Benchmark(Path out, String java, String classpath, int seconds) {
        this.out = out;
        this.java = java;
        this.classpath = classpath;
        this.seconds = seconds;
    }

    /** How to start a server for a round: its command for the given HTTP port, made ready in a directory of its own. */
    private interface Launcher {
        List<String> command(int port, Path directory) throws IOException, InterruptedException;
    }

    /** A server to start for each round; {@code topics}: whether it has {@code topics/{topic}} beside its echo. */
    private record ServerSpec(String key, String name, String path, boolean topics, Map<String, String> environment,
                              Launcher launcher) {
    }

    /** A scenario: the load generator's arguments after the URI, and how many connections it holds. */
    private record Scenario(String id, String title, List<String> arguments, int connections, int messageBytes) {
    }

    /** What one scenario gave on one server in one round; the heap growth is measured in the capacity scenario only. */
    private record Measurement(double perSecond, long p50, long p99, long p999, double serverCpuMicrosPerMessage,
                               double clientCpuMicrosPerMessage, long rssBytes, long rssGrowthBytes,
                               long heapGrowthBytes) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Benchmark benchmark = new Benchmark(out, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), Integer.getInteger("bench.seconds", 10));
        int rounds = Integer.getInteger("bench.rounds", 3);
        int capacity = Integer.getInteger("bench.idleConnections", 18_000);
        int sourceAddresses = Integer.getInteger("bench.sourceAddresses", 4);
        requireOpenFiles(capacity);
        Map<String, ServerSpec> catalogue = benchmark.catalogue(
                Path.of(System.getProperty("bench.payaraMicroJar")),
                Path.of(System.getProperty("bench.payaraMicro6Jar")), Path.of(System.getProperty("bench.war")),
                Path.of(System.getProperty("bench.preboot")),
                Path.of(System.getProperty("bench.wildflyHome")), Path.of(System.getProperty("bench.payaraServerHome")));
        List<ServerSpec> servers = selected(System.getProperty("bench.servers", String.join(",", catalogue.keySet())),
                catalogue);
        List<String> keys = new ArrayList<>(List.of(System.getProperty("bench.scenarios", "d,a,b,c,f,e,g,h")
                .split(",")));
        // (h) starts servers of its own: a cluster is more than one process.
        boolean acrossInstances = keys.remove(ACROSS_INSTANCES);
        if (!keys.isEmpty()) {
            benchmark.run(rounds, servers, selected(String.join(",", keys), scenarios(capacity, sourceAddresses)));
        }
        if (acrossInstances) {
            ClusterBenchmark.run(out, Path.of(System.getProperty("bench.payaraMicroJar")),
                    Path.of(System.getProperty("bench.war")), Path.of(System.getProperty("bench.preboot")), rounds,
                    Integer.getInteger("bench.seconds", 10), Integer.getInteger("bench.clusterRate", 50));
        }
    }

    /**
     * Each connection is a file descriptor in the server and another in the load generator, and a process cannot raise
     * its open-file limit past the hard limit it inherits; the servers need about a thousand more for their jars.
     */
    private static void requireOpenFiles(int connections) throws IOException, InterruptedException {
        Process ulimit = new ProcessBuilder("bash", "-c", "ulimit -Hn").start();
        String hard = new String(ulimit.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        ulimit.waitFor(10, TimeUnit.SECONDS);
        if (!hard.equals("unlimited") && Long.parseLong(hard) < connections + 1_000L) {
            throw new IllegalArgumentException("The open-file hard limit here is " + hard + ", so no process can hold "
                    + String.format(Locale.ROOT, "%,d", connections) + " connections and the files of a server: "
                    + "lower -Dbench.idleConnections or raise the limit (ulimit -Hn, LimitNOFILE, nofile in "
                    + "/etc/security/limits.conf)");
        }
    }

    private static <T> List<T> selected(String keys, Map<String, T> all) {
        List<T> chosen = new ArrayList<>();
        for (String key : keys.split(",")) {
            T item = all.get(key.trim());
            if (item == null) {
                throw new IllegalArgumentException("No " + key + "; choose from " + all.keySet());
            }
            chosen.add(item);
        }
        return chosen;
    }

    private static Map<String, Scenario> scenarios(int capacity, int sourceAddresses) {
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("a", new Scenario("a", "100 connections, 32-byte text, closed loop",
                List.of("closed", "100", "32", "text", "{seconds}"), 100, 32));
        scenarios.put("b", new Scenario("b", "1,000 connections, 32-byte text, closed loop",
                List.of("closed", "1000", "32", "text", "{seconds}"), 1000, 32));
        scenarios.put("c", new Scenario("c", "16 connections, 64 KiB binary, closed loop",
                List.of("closed", "16", "65536", "binary", "{seconds}"), 16, 65536));
        scenarios.put(CAPACITY, new Scenario(CAPACITY, String.format(Locale.ROOT,
                "%,d connections from %d loopback addresses, one 32-byte message a second each (open loop)",
                capacity, sourceAddresses), List.of("open", Integer.toString(capacity), "1",
                Integer.toString(sourceAddresses), "{seconds}"), capacity, 32));
        scenarios.put("e", new Scenario("e", "handshakes, 16 at a time",
                List.of("handshakes", "16", "{seconds}"), 16, 0));
        scenarios.put("f", new Scenario("f", "1,000 connections, 5 messages a second each: 5,000 msgs/s at a fixed "
                + "rate (open loop, latency from when each message was due)",
                List.of("open", "1000", "5", "0", "{seconds}"), 1000, 32));
        scenarios.put(FAN_OUT, new Scenario(FAN_OUT, "fan-out: one publisher to 1,000 subscribers of one topic, "
                + "32-byte binary, 16 messages on their way (latency from publish to each delivery)",
                List.of("fanout", "1000", "16", "{seconds}"), 1001, 32));
        return scenarios;
    }

    /**
     * @param preboot the shipped Payara Micro settings ({@code deploy/payara-micro/preboot.asadmin}); the servers with
     *                Payara's defaults get only its first two lines, which bind the listeners to loopback
     */
    private Map<String, ServerSpec> catalogue(Path microJar, Path micro6Jar, Path war, Path preboot,
                                              Path wildflyHome, Path payaraServerHome) throws IOException {
        Files.createDirectories(out);
        Path bareWar = out.resolve("bare-echo.war");
        ShrinkWrap.create(WebArchive.class, "bare-echo.war").addClass(BareEchoEndpoint.class)
                .as(ZipExporter.class).exportTo(bareWar.toFile(), true);
        // The servers of the Payara 6 line and WildFly run on Java 17, as the test matrix runs them.
        Path jdk17 = Jdk.home(17);
        String java17 = jdk17.resolve("bin").resolve("java").toString();
        // The caps of the robustness settings would refuse the capacity scenario's connections from few addresses.
        Map<String, String> uncapped = Map.of("ECHO_MAX_CONNECTIONS", "1000000",
                "ECHO_MAX_CONNECTIONS_PER_ADDRESS", "1000000");
        Path loopbackOnly = out.resolve("preboot-loopback-only.asadmin");
        Files.write(loopbackOnly, Files.readAllLines(preboot).stream()
                .filter(line -> line.contains("network-listener.http-listener.address")
                        || line.contains("network-listener.https-listener.address")).toList());
        Map<String, ServerSpec> catalogue = new LinkedHashMap<>();
        catalogue.put("netty", new ServerSpec("netty", "Netty 4.2 (reference)", "/echo", true, Map.of(),
                (port, directory) -> List.of(java, "-cp", classpath, NettyEchoServer.class.getName(),
                        Integer.toString(port))));
        catalogue.put("payara-micro", new ServerSpec("payara-micro", "websocket-echo, Payara Micro 7 as shipped",
                "/websocket-echo/echo", true, uncapped, (port, directory) ->
                payaraMicro(java, microJar, war, "websocket-echo", preboot, port, directory)));
        catalogue.put("payara-micro-defaults", new ServerSpec("payara-micro-defaults",
                "websocket-echo, Payara Micro 7 defaults", "/websocket-echo/echo", true, uncapped, (port, directory) ->
                payaraMicro(java, microJar, war, "websocket-echo", loopbackOnly, port, directory)));
        catalogue.put("payara-micro-6", new ServerSpec("payara-micro-6", "websocket-echo, Payara Micro 6 as shipped",
                "/websocket-echo/echo", true, uncapped, (port, directory) ->
                payaraMicro(java17, micro6Jar, war, "websocket-echo", preboot, port, directory)));
        catalogue.put("bare", new ServerSpec("bare", "bare endpoint, Payara Micro 7 as shipped", "/bare-echo/echo",
                false, Map.of(), (port, directory) ->
                payaraMicro(java, microJar, bareWar, "bare-echo", preboot, port, directory)));
        Map<String, String> wildflyEnvironment = new LinkedHashMap<>(uncapped);
        wildflyEnvironment.put("JAVA_HOME", jdk17.toString());
        // standalone.conf caps the heap at 512 MB unless told otherwise; every server here gets the JVM's own sizing.
        wildflyEnvironment.put("JBOSS_JAVA_SIZING", " ");
        catalogue.put("wildfly", new ServerSpec("wildfly", "websocket-echo, WildFly 39", "/websocket-echo/echo", true,
                wildflyEnvironment, (port, directory) -> wildfly(wildflyHome, war, port, directory)));
        Map<String, String> payaraServerEnvironment = new LinkedHashMap<>(uncapped);
        payaraServerEnvironment.put("AS_JAVA", jdk17.toString());
        catalogue.put("payara-server", new ServerSpec("payara-server", "websocket-echo, Payara Server 6",
                "/websocket-echo/echo", true, payaraServerEnvironment,
                (port, directory) -> payaraServer(payaraServerHome, war, port)));
        return catalogue;
    }

    static List<String> payaraMicro(String java, Path jar, Path war, String contextRoot, Path preboot, int port,
                                            Path directory) {
        return List.of(java, "-jar", jar.toString(), "--deploy", war.toString(), "--contextroot", contextRoot,
                "--nohazelcast", "--port", Integer.toString(port), "--prebootcommandfile", preboot.toString(),
                "--rootdir", directory.toString());
    }

    /** WildFly with a fresh copy of its {@code standalone} directory and the WAR in its deployments. */
    private static List<String> wildfly(Path home, Path war, int port, Path directory) throws IOException {
        copyTree(home.resolve("standalone"), directory);
        Files.copy(war, directory.resolve("deployments").resolve("websocket-echo.war"));
        return List.of(home.resolve("bin").resolve("standalone.sh").toString(),
                "-Djboss.server.base.dir=" + directory, "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1", "-Djboss.http.port=" + port,
                "-Djboss.management.http.port=" + freePort(), "-Djboss.https.port=0",
                "-Djboss.management.https.port=0");
    }

    /**
     * Payara Server with a new domain (deploy/glassfish/create-domain.sh: loopback, no data grid, no JMS), the WAR
     * in its autodeploy directory and the domain's 512 MB heap cap removed, so that it gets the JVM's own sizing like
     * every other server here.
     */
    private List<String> payaraServer(Path home, Path war, int port) throws IOException, InterruptedException {
        String domain = "websocket-echo-bench";
        Process create = new ProcessBuilder(Path.of("deploy", "glassfish", "create-domain.sh").toString(),
                home.toString(), domain, Integer.toString(freePort()), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(out.resolve("logs").resolve("create-domain.log").toFile())
                .start();
        if (!create.waitFor(5, TimeUnit.MINUTES) || create.exitValue() != 0) {
            create.destroyForcibly();
            throw new IOException("create-domain.sh failed; see " + out.resolve("logs").resolve("create-domain.log"));
        }
        Path domainDirectory = home.resolve("glassfish").resolve("domains").resolve(domain);
        Path config = domainDirectory.resolve("config").resolve("domain.xml");
        Files.writeString(config, Files.readString(config).replace("<jvm-options>-Xmx512m</jvm-options>", ""));
        Files.copy(war, Files.createDirectories(domainDirectory.resolve("autodeploy")).resolve("websocket-echo.war"));
        return List.of(home.resolve("bin").resolve("asadmin").toString(), "start-domain", "--verbose", domain);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private void run(int rounds, List<ServerSpec> servers, List<Scenario> scenarios) throws Exception {
        String machine = machine();
        // results[scenario][server] = one measurement per round
        Map<String, Map<String, List<Measurement>>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            List<ServerSpec> order = new ArrayList<>(servers);
            Collections.rotate(order, round - 1);
            for (ServerSpec spec : order) {
                System.out.printf("Round %d of %d: %s%n", round, rounds, spec.name());
                try (ServerProcess server = start(spec, round)) {
                    generate(server, List.of("closed", "100", "32", "text", "5"), 100, false);
                    for (Scenario scenario : scenarios) {
                        Measurement measured;
                        if (scenario.id().equals(FAN_OUT) && !spec.topics()) {
                            failures.put(scenario.id() + " " + spec.name(), "has no topics");
                            record(results, scenario, spec, null);
                            continue;
                        }
                        try {
                            measured = generate(server, scenario.arguments(), scenario.connections(),
                                    scenario.id().equals(CAPACITY));
                            System.out.printf("  %s: %s%n", scenario.id(), measured);
                        } catch (IllegalStateException failed) {
                            // Reported as failed in the table; the other scenarios and servers still run.
                            measured = null;
                            failures.put(scenario.id() + " " + spec.name(), reason(failed.getMessage()));
                            System.out.printf("  %s: FAILED %s%n", scenario.id(), failed.getMessage());
                        }
                        record(results, scenario, spec, measured);
                    }
                } catch (IOException failedToStart) {
                    System.out.printf("  FAILED to start: %s%n", failedToStart.getMessage());
                    failures.put("start " + spec.name(), "did not start: " + failedToStart.getMessage());
                    for (Scenario scenario : scenarios) {
                        record(results, scenario, spec, null);
                    }
                }
            }
        }
        String report = report(machine + ", load average at the end " + loadAverage(), rounds, servers, scenarios,
                results);
        Files.writeString(out.resolve("BENCHMARKS.md"), report);
        Files.writeString(out.resolve("benchmark.svg"), Chart.svg(servers.stream().map(ServerSpec::name).toList(),
                scenarios.stream().map(Scenario::id)
                        .filter(id -> results.get(id).values().stream().noneMatch(runs -> runs.contains(null)))
                        .toList(),
                (scenario, server) -> median(results.get(scenario).get(server), Measurement::perSecond)
                        / median(results.get(scenario).get(servers.get(0).name()), Measurement::perSecond),
                (scenario, server) -> median(results.get(scenario).get(server), m -> m.p99()) / 1000.0));
        System.out.println(report);
    }

    /** Adds one round's measurement (null: failed) of a scenario on a server. */
    private static void record(Map<String, Map<String, List<Measurement>>> results, Scenario scenario,
                               ServerSpec server, Measurement measured) {
        results.computeIfAbsent(scenario.id(), id -> new LinkedHashMap<>())
                .computeIfAbsent(server.name(), name -> new ArrayList<>()).add(measured);
    }

    private ServerProcess start(ServerSpec spec, int round) throws IOException, InterruptedException {
        int port = freePort();
        Path directory = out.resolve("servers").resolve(spec.key() + "-round-" + round);
        deleteTree(directory);
        Files.createDirectories(out.resolve("logs"));
        List<String> command = spec.launcher().command(port, directory);
        Path log = out.resolve("logs").resolve(spec.key() + "-round-" + round + ".log");
        return ServerProcess.start(spec.name(), command, spec.environment(),
                URI.create("ws://127.0.0.1:" + port + spec.path()), log);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    /**
     * Runs the load generator against the server and reads the server's CPU and memory around its measurement; with
     * {@code capacity}, also the server's live heap before the generator connects and once all its connections are
     * open.
     */
    private Measurement generate(ServerProcess server, List<String> scenario, int connections, boolean capacity)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx2g", "-cp", classpath,
                LoadGenerator.class.getName(), scenario.get(0), server.echo().toString()));
        scenario.subList(1, scenario.size()).forEach(argument ->
                command.add(argument.replace("{seconds}", Integer.toString(seconds))));
        long heapBefore = capacity ? server.liveHeapBytes() : 0;
        long rssBefore = server.rssBytes();
        AtomicLong peakRss = new AtomicLong(rssBefore);
        AtomicLong heapGrowth = new AtomicLong(-1);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            try {
                peakRss.accumulateAndGet(server.rssBytes(), Math::max);
            } catch (IOException ended) {
                // The server is gone; the generator will fail and say so.
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
        LoadRun.Outcome outcome;
        try {
            outcome = LoadRun.run(command, seconds, server.name(), new LoadRun.Servers() {
                @Override
                public void connected() throws IOException, InterruptedException {
                    if (capacity) {
                        heapGrowth.set(Math.max(0, server.liveHeapBytes() - heapBefore));
                    }
                }

                @Override
                public long cpuNanos() throws IOException {
                    return server.cpuNanos();
                }
            });
        } finally {
            sampler.shutdownNow();
        }
        return new Measurement(outcome.perSecond(), outcome.result().get("p50").longValue(),
                outcome.result().get("p99").longValue(), outcome.result().get("p999").longValue(),
                outcome.serverCpuMicrosPerMessage(), outcome.result().get("clientCpuMicrosPerMessage"),
                peakRss.get(), Math.max(0, peakRss.get() - rssBefore), heapGrowth.get());
    }

    private String report(String machine, int rounds, List<ServerSpec> servers, List<Scenario> scenarios,
                          Map<String, Map<String, List<Measurement>>> results) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append(". ").append(rounds).append(" interleaved rounds of ")
                .append(seconds).append(" s per scenario, each server freshly started for its turn; medians across ")
                .append("rounds; ratios are to the Netty reference of the same round. Latencies in microseconds.\n\n");
        String reference = servers.get(0).name();
        for (Scenario scenario : scenarios) {
            md.append("### (").append(scenario.id()).append(") ").append(scenario.title()).append("\n\n");
            boolean bytes = scenario.messageBytes() >= 1024;
            boolean idle = scenario.id().equals(CAPACITY);
            md.append("| server | ").append(bytes ? "MB/s" : scenario.id().equals("e") ? "handshakes/s"
                    : scenario.id().equals(FAN_OUT) ? "deliveries/s" : "msgs/s")
                    .append(" | ratio | p50 | p99 | p99.9 | p99 ratio | server CPU µs/msg | client CPU µs/msg | ")
                    .append(idle ? "RSS | RSS per connection | live heap per connection |\n" : "RSS |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|").append(idle ? "---|---|\n" : "\n");
            for (ServerSpec server : servers) {
                List<Measurement> runs = results.get(scenario.id()).get(server.name());
                List<Measurement> ref = results.get(scenario.id()).get(reference);
                if (runs.contains(null) || ref.contains(null)) {
                    String why = failures.getOrDefault(scenario.id() + " " + server.name(),
                            failures.getOrDefault("start " + server.name(), "the reference failed"));
                    md.append("| ").append(server.name()).append(" | failed in ")
                            .append(runs.stream().filter(m -> m == null).count()).append(" of ").append(rounds)
                            .append(" rounds: ").append(why.replace("|", "/")).append(" |")
                            .append(" |".repeat(idle ? 10 : 8)).append('\n');
                    continue;
                }
                double perSecond = median(runs, Measurement::perSecond);
                double ratio = medianOfRatios(runs, ref, Measurement::perSecond);
                double p99Ratio = medianOfRatios(runs, ref, m -> m.p99());
                md.append(String.format(Locale.ROOT, "| %s | %s | %.2f× | %.0f | %.0f | %.0f | %.2f× | %.1f | %.1f | %.0f MiB |",
                        server.name(), bytes ? String.format(Locale.ROOT, "%.0f", perSecond * scenario.messageBytes() / 1e6)
                                : String.format(Locale.ROOT, "%,.0f", perSecond),
                        ratio, median(runs, m -> m.p50()), median(runs, m -> m.p99()), median(runs, m -> m.p999()),
                        p99Ratio, median(runs, Measurement::serverCpuMicrosPerMessage),
                        median(runs, Measurement::clientCpuMicrosPerMessage), median(runs, m -> m.rssBytes()) / 1048576));
                if (idle) {
                    md.append(String.format(Locale.ROOT, " %.1f KB | %.1f KB |",
                            median(runs, m -> m.rssGrowthBytes()) / scenario.connections() / 1000,
                            median(runs, m -> m.heapGrowthBytes()) / scenario.connections() / 1000));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The load generator's own words on why it failed, without its stack trace. */
    private static String reason(String failure) {
        return failure.lines().filter(line -> line.contains("Exception: ")).findFirst()
                .map(line -> line.substring(line.indexOf("Exception: ") + "Exception: ".length()))
                .map(line -> line.replace("; the first failure: null", ""))
                .orElse(failure.lines().findFirst().orElse(failure));
    }

    private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> value) {
        return median(runs.stream().mapToDouble(value).sorted().toArray());
    }

    /** The median of each round's ratio of {@code value} to the reference's in the same round. */
    static <T> double medianOfRatios(List<T> runs, List<T> reference, ToDoubleFunction<T> value) {
        double[] ratios = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            ratios[i] = value.applyAsDouble(runs.get(i)) / value.applyAsDouble(reference.get(i));
        }
        Arrays.sort(ratios);
        return median(ratios);
    }

    static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static String machine() throws IOException {
        return String.format(Locale.ROOT, "%d cores, %s %s, Linux %s, %s, load average at the start %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.version"), Instant.now(), loadAverage());
    }

    static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
