package dev.websocketecho.bench;

import dev.websocketecho.testing.PayaraCluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Fan-out across instances: one publisher and 1,000 subscribers of one topic, at a fixed rate, on the Netty reference,
 * on one Payara Micro 7 instance as shipped, and on two instances of the cluster recipe ({@code deploy/cluster}) with
 * half of the subscribers on each and the publisher on the first, so that every delivery on the second crossed the data
 * grid. Rounds rotate the order; the medians go to {@code target/bench/CLUSTER.md}. Scenario (h) of
 * {@link Benchmark}: {@code ./mvnw -Pbench verify -Dbench.scenarios=h}.
 */
public final class ClusterBenchmark {

    private static final int SUBSCRIBERS = 1000;
    private static final Map<String, String> UNCAPPED = Map.of("ECHO_MAX_CONNECTIONS", "1000000",
            "ECHO_MAX_CONNECTIONS_PER_ADDRESS", "1000000");

    /** One way of serving the topic: the echo URIs of its instances, and their CPU time together. */
    private interface Servers extends AutoCloseable {
        List<URI> echoUris();

        long cpuNanos() throws IOException;

        @Override
        void close() throws Exception;
    }

    private record Measurement(double perSecond, long p50, long p99, long p999, double serverCpuMicros,
                               double clientCpuMicros) {
    }

    private final Path out;
    private final String java;
    private final String classpath;
    private final Path microJar;
    private final Path war;
    private final Path preboot;

    private ClusterBenchmark(Path out, Path microJar, Path war, Path preboot) {
        this.out = out;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.classpath = System.getProperty("java.class.path");
        this.microJar = microJar;
        this.war = war;
        this.preboot = preboot;
    }

    /** @param rate messages published per second */
    static void run(Path out, Path microJar, Path war, Path preboot, int rounds, int seconds, int rate)
            throws Exception {
        new ClusterBenchmark(out, microJar, war, preboot).run(rounds, seconds, SUBSCRIBERS, rate);
    }

    private void run(int rounds, int seconds, int subscribers, int rate) throws Exception {
        String machine = Benchmark.machine();
        List<String> names = List.of("Netty 4.2 (reference, `ChannelGroup`)",
                "websocket-echo, one Payara Micro 7 instance as shipped",
                "websocket-echo, two Payara Micro 7 instances in one data grid");
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        names.forEach(name -> results.put(name, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
            Collections.rotate(order, round - 1);
            for (int which : order) {
                System.out.printf("Round %d of %d: %s%n", round, rounds, names.get(which));
                try (Servers servers = start(which, round)) {
                    // Unmeasured: the servers' code is compiled before it is measured.
                    generate(servers, subscribers, rate, 5);
                    Measurement measured = generate(servers, subscribers, rate, seconds);
                    System.out.printf("  %s%n", measured);
                    results.get(names.get(which)).add(measured);
                }
            }
        }
        String report = report(machine + ", load average at the end " + Benchmark.loadAverage(), rounds, seconds,
                subscribers, rate, results);
        Files.createDirectories(out);
        Files.writeString(out.resolve("CLUSTER.md"), report);
        System.out.println(report);
    }

    private Servers start(int which, int round) throws IOException, InterruptedException {
        Path logs = out.resolve("logs");
        return switch (which) {
            case 0 -> {
                int port = Benchmark.freePort();
                yield single(ServerProcess.start("netty", List.of(java, "-cp", classpath,
                                NettyEchoServer.class.getName(), Integer.toString(port)), Map.of(),
                        URI.create("ws://127.0.0.1:" + port + "/echo"),
                        logs.resolve("cluster-netty-round-" + round + ".log")));
            }
            case 1 -> {
                int port = Benchmark.freePort();
                // A fresh root directory: Payara Micro would deploy again what an earlier run left in it.
                Path directory = out.resolve("servers").resolve("cluster-single-round-" + round);
                Benchmark.deleteTree(directory);
                Files.createDirectories(directory);
                yield single(ServerProcess.start("payara-micro", Benchmark.payaraMicro(java, microJar, war,
                                "websocket-echo", preboot, port, directory), UNCAPPED,
                        URI.create("ws://127.0.0.1:" + port + "/websocket-echo/echo"),
                        logs.resolve("cluster-single-round-" + round + ".log")));
            }
            default -> cluster(2, out.resolve("cluster-round-" + round));
        };
    }

    private static Servers single(ServerProcess server) {
        return new Servers() {
            @Override
            public List<URI> echoUris() {
                return List.of(server.echo());
            }

            @Override
            public long cpuNanos() throws IOException {
                return server.cpuNanos();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** The cluster recipe's script with {@code instances} instances, as its README runs it. */
    private Servers cluster(int instances, Path runDirectory) throws IOException, InterruptedException {
        PayaraCluster cluster = PayaraCluster.start(runDirectory, instances, microJar, war, UNCAPPED);
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            pids.add(cluster.pid(i));
        }
        return new Servers() {
            @Override
            public List<URI> echoUris() {
                return IntStream.range(0, instances).mapToObj(i -> cluster.direct(i, "ws", "echo")).toList();
            }

            @Override
            public long cpuNanos() throws IOException {
                long sum = 0;
                for (long pid : pids) {
                    sum += ServerProcess.cpuNanos(pid);
                }
                return sum;
            }

            @Override
            public void close() throws IOException, InterruptedException {
                cluster.close();
            }
        };
    }

    private Measurement generate(Servers servers, int subscribers, int rate, int seconds) throws Exception {
        List<URI> uris = servers.echoUris();
        List<String> command = List.of(java, "-Xms256m", "-Xmx2g", "-cp", classpath, LoadGenerator.class.getName(),
                "fanout-rate", uris.stream().map(URI::toString).collect(Collectors.joining(",")),
                Integer.toString(subscribers / uris.size()), Integer.toString(rate), Integer.toString(seconds));
        LoadRun.Outcome outcome = LoadRun.run(command, seconds, uris.toString(), servers::cpuNanos);
        return new Measurement(outcome.perSecond(), outcome.result().get("p50").longValue(),
                outcome.result().get("p99").longValue(), outcome.result().get("p999").longValue(),
                outcome.serverCpuMicrosPerMessage(), outcome.result().get("clientCpuMicrosPerMessage"));
    }

    private static String report(String machine, int rounds, int seconds, int subscribers, int rate,
                                 Map<String, List<Measurement>> results) {
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Fan-out across instances: %d subscribers of one topic, one "
                        + "publisher, %d messages of 32 bytes a second (%,d deliveries a second offered); %d rounds "
                        + "of %d s, medians; latencies in microseconds from when each message was due to each "
                        + "delivery. %s.%n%n", subscribers, rate, subscribers * rate, rounds, seconds, machine));
        report.append("| server | deliveries/s | ratio | p50 | p99 | p99.9 | p99 ratio | server CPU µs/delivery |"
                + " client CPU µs/delivery |\n|---|---|---|---|---|---|---|---|---|\n");
        List<Measurement> reference = results.values().iterator().next();
        results.forEach((name, runs) -> report.append(String.format(Locale.ROOT,
                "| %s | %,.0f | %.2f× | %.0f | %.0f | %.0f | %.2f× | %.1f | %.1f |%n", name,
                median(runs, Measurement::perSecond), medianOfRatios(runs, reference, Measurement::perSecond),
                median(runs, m -> m.p50()), median(runs, m -> m.p99()), median(runs, m -> m.p999()),
                medianOfRatios(runs, reference, m -> m.p99()), median(runs, Measurement::serverCpuMicros),
                median(runs, Measurement::clientCpuMicros))));
        return report.toString();
    }

    private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> value) {
        return Benchmark.median(runs.stream().mapToDouble(value).sorted().toArray());
    }

    private static double medianOfRatios(List<Measurement> runs, List<Measurement> reference,
                                         ToDoubleFunction<Measurement> value) {
        return Benchmark.medianOfRatios(runs, reference, value);
    }
}
