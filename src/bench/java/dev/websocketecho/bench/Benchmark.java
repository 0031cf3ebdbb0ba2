package dev.websocketecho.bench;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every scenario against every server in interleaved rounds, each server freshly started for its turn, and writes
 * the medians across rounds as ratios to the Netty reference of the same round: {@code target/bench/BENCHMARKS.md}
 * and {@code target/bench/benchmark.svg}. Started by {@code ./mvnw -Pbench verify}; the settings come as system
 * properties (see the profile in the POM).
 */
public final class Benchmark {

    private static final Pattern RESULT = Pattern.compile("(\\w+)=([0-9.]+)");

    private final Path out;
    private final String java;
    private final String classpath;
    private final int seconds;
    private final int idleConnections;
    private final int sourceAddresses;

    private Benchmark(Path out, String java, String classpath, int seconds, int idleConnections, int sourceAddresses) {
        this.out = out;
        this.java = java;
        this.classpath = classpath;
        this.seconds = seconds;
        this.idleConnections = idleConnections;
        this.sourceAddresses = sourceAddresses;
    }

    /** A server to start for each round. */
    private record ServerSpec(String name, List<String> command, String path, Map<String, String> environment) {
    }

    /** A scenario: the load generator's arguments after the URI, and how many connections it holds. */
    private record Scenario(String id, String title, List<String> arguments, int connections, int messageBytes) {
    }

    /** What one scenario gave on one server in one round. */
    private record Measurement(double perSecond, long p50, long p99, long p999, double serverCpuMicrosPerMessage,
                               double clientCpuMicrosPerMessage, long rssBytes, long rssGrowthBytes) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Benchmark benchmark = new Benchmark(out, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), Integer.getInteger("bench.seconds", 10),
                Integer.getInteger("bench.idleConnections", 10_000), Integer.getInteger("bench.sourceAddresses", 4));
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path microJar = Path.of(System.getProperty("bench.payaraMicroJar"));
        Path war = Path.of(System.getProperty("bench.war"));
        Path preboot = Path.of(System.getProperty("bench.preboot"));
        benchmark.run(rounds, microJar, war, preboot);
    }

    private void run(int rounds, Path microJar, Path war, Path preboot) throws Exception {
        Files.createDirectories(out);
        Path bareWar = out.resolve("bare-echo.war");
        ShrinkWrap.create(WebArchive.class, "bare-echo.war").addClass(BareEchoEndpoint.class)
                .as(ZipExporter.class).exportTo(bareWar.toFile(), true);

        // The caps of the robustness settings would refuse the capacity scenario's connections from few addresses.
        Map<String, String> uncapped = Map.of("ECHO_MAX_CONNECTIONS", "1000000",
                "ECHO_MAX_CONNECTIONS_PER_ADDRESS", "1000000");
        List<ServerSpec> servers = List.of(
                new ServerSpec("Netty 4.2 (reference)", List.of(java, "-cp", classpath,
                        NettyEchoServer.class.getName(), "{port}"), "/echo", Map.of()),
                new ServerSpec("websocket-echo on Payara Micro 6", payaraMicro(microJar, war, "websocket-echo", preboot),
                        "/websocket-echo/echo", uncapped),
                new ServerSpec("bare endpoint on Payara Micro 6", payaraMicro(microJar, bareWar, "bare-echo", preboot),
                        "/bare-echo/echo", Map.of()));
        List<Scenario> scenarios = List.of(
                new Scenario("a", "100 connections, 32-byte text, closed loop",
                        List.of("closed", "100", "32", "text", "{seconds}"), 100, 32),
                new Scenario("b", "1,000 connections, 32-byte text, closed loop",
                        List.of("closed", "1000", "32", "text", "{seconds}"), 1000, 32),
                new Scenario("c", "16 connections, 64 KiB binary, closed loop",
                        List.of("closed", "16", "65536", "binary", "{seconds}"), 16, 65536),
                new Scenario("d", String.format(Locale.ROOT, "%,d idle connections, one message a second each",
                        idleConnections), List.of("idle", Integer.toString(idleConnections),
                        Integer.toString(sourceAddresses), "{seconds}"), idleConnections, 32),
                new Scenario("e", "handshakes, 16 at a time",
                        List.of("handshakes", "16", "{seconds}"), 16, 0));

        String machine = machine();
        // results[scenario][server] = one measurement per round
        Map<String, Map<String, List<Measurement>>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            List<ServerSpec> order = new ArrayList<>(servers);
            Collections.rotate(order, round - 1);
            for (ServerSpec spec : order) {
                System.out.printf("Round %d of %d: %s%n", round, rounds, spec.name());
                try (ServerProcess server = start(spec, round)) {
                    generate(server, List.of("closed", "100", "32", "text", "5"), 100);
                    for (Scenario scenario : scenarios) {
                        Measurement measured;
                        try {
                            measured = generate(server, scenario.arguments(), scenario.connections());
                            System.out.printf("  %s: %s%n", scenario.id(), measured);
                        } catch (IllegalStateException failed) {
                            // Reported as failed in the table; the other scenarios and servers still run.
                            measured = null;
                            System.out.printf("  %s: FAILED %s%n", scenario.id(), failed.getMessage());
                        }
                        results.computeIfAbsent(scenario.id(), id -> new LinkedHashMap<>())
                                .computeIfAbsent(spec.name(), name -> new ArrayList<>()).add(measured);
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

    private static List<String> payaraMicro(Path jar, Path war, String contextRoot, Path preboot) {
        return List.of("{java}", "-jar", jar.toString(), "--deploy", war.toString(), "--contextroot", contextRoot,
                "--nohazelcast", "--port", "{port}", "--prebootcommandfile", preboot.toString());
    }

    private ServerProcess start(ServerSpec spec, int round) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = spec.command().stream()
                .map(part -> part.replace("{port}", Integer.toString(port)).replace("{java}", java)).toList();
        Path log = out.resolve("logs").resolve(spec.name().replaceAll("\\W+", "-") + "-round-" + round + ".log");
        return ServerProcess.start(spec.name(), command, spec.environment(),
                URI.create("ws://127.0.0.1:" + port + spec.path()), log);
    }

    /** Runs the load generator against the server and reads the server's CPU and memory around its measurement. */
    private Measurement generate(ServerProcess server, List<String> scenario, int connections) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx2g", "-cp", classpath,
                LoadGenerator.class.getName(), scenario.get(0), server.echo().toString()));
        scenario.subList(1, scenario.size()).forEach(argument ->
                command.add(argument.replace("{seconds}", Integer.toString(seconds))));
        long rssBefore = server.rssBytes();
        Process generator = new ProcessBuilder(ServerProcess.withOpenFileLimit(command)).redirectErrorStream(true)
                .start();
        AtomicLong peakRss = new AtomicLong(rssBefore);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            try {
                peakRss.accumulateAndGet(server.rssBytes(), Math::max);
            } catch (IOException ended) {
                // The server is gone; the generator will fail and say so.
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
        long cpuStart = 0;
        long cpuEnd = 0;
        Map<String, Double> result = new LinkedHashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(generator.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.equals("MEASURING")) {
                    cpuStart = server.cpuNanos();
                } else if (line.equals("MEASURED")) {
                    cpuEnd = server.cpuNanos();
                } else if (line.startsWith("RESULT ")) {
                    Matcher pair = RESULT.matcher(line);
                    while (pair.find()) {
                        result.put(pair.group(1), Double.parseDouble(pair.group(2)));
                    }
                }
            }
        } finally {
            sampler.shutdownNow();
            if (!generator.waitFor(seconds + 240L, TimeUnit.SECONDS)) {
                generator.destroyForcibly();
            }
        }
        if (generator.exitValue() != 0 || result.isEmpty()) {
            throw new IllegalStateException("The load generator failed against " + server.name() + ":\n" + output);
        }
        double messages = result.get("messages");
        return new Measurement(messages / result.get("seconds"), result.get("p50").longValue(),
                result.get("p99").longValue(), result.get("p999").longValue(),
                messages == 0 ? 0 : (cpuEnd - cpuStart) / 1e3 / messages, result.get("clientCpuMicrosPerMessage"),
                peakRss.get(), Math.max(0, peakRss.get() - rssBefore));
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
            boolean idle = scenario.id().equals("d");
            md.append("| server | ").append(bytes ? "MB/s" : scenario.id().equals("e") ? "handshakes/s" : "msgs/s")
                    .append(" | ratio | p50 | p99 | p99.9 | p99 ratio | server CPU µs/msg | client CPU µs/msg | ")
                    .append(idle ? "RSS | RSS per connection |\n" : "RSS |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|").append(idle ? "---|\n" : "\n");
            for (ServerSpec server : servers) {
                List<Measurement> runs = results.get(scenario.id()).get(server.name());
                List<Measurement> ref = results.get(scenario.id()).get(reference);
                if (runs.contains(null) || ref.contains(null)) {
                    md.append("| ").append(server.name()).append(" | failed in ")
                            .append(runs.stream().filter(m -> m == null).count()).append(" of ").append(rounds)
                            .append(" rounds (see the run's output) |").append(" |".repeat(idle ? 9 : 8)).append('\n');
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
                    md.append(String.format(Locale.ROOT, " %.1f KB |",
                            median(runs, m -> m.rssGrowthBytes()) / scenario.connections() / 1000));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> value) {
        return median(runs.stream().mapToDouble(value).sorted().toArray());
    }

    private static double medianOfRatios(List<Measurement> runs, List<Measurement> reference,
                                         ToDoubleFunction<Measurement> value) {
        double[] ratios = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            ratios[i] = value.applyAsDouble(runs.get(i)) / value.applyAsDouble(reference.get(i));
        }
        Arrays.sort(ratios);
        return median(ratios);
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String machine() throws IOException {
        return String.format(Locale.ROOT, "%d cores, %s %s, Linux %s, %s, load average at the start %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.version"), Instant.now(), loadAverage());
    }

    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
