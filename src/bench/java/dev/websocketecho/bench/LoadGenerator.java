package dev.websocketecho.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One scenario against one server, in a process of its own so that its CPU time is its own; prints one line of
 * {@code key=value} results for {@link Benchmark}. Usage:
 * <pre>
 * LoadGenerator closed URI CONNECTIONS SIZE text|binary SECONDS
 * LoadGenerator open URI CONNECTIONS MESSAGES_PER_SECOND_EACH SOURCE_ADDRESSES SECONDS
 * LoadGenerator handshakes URI CONCURRENCY SECONDS
 * LoadGenerator fanout URI SUBSCRIBERS IN_FLIGHT SECONDS
 * LoadGenerator fanout-rate URI[,URI...] SUBSCRIBERS_EACH MESSAGES_PER_SECOND SECONDS
 * </pre>
 * URI is the server's echo endpoint; the fan-outs use the topic {@code bench} beside it ({@code topics/bench}), the
 * fixed-rate one on each of several servers (the instances of a cluster).
 * Once its connections are open it prints {@code CONNECTED} and waits for a line on standard input (or its end)
 * before it measures.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = args[0].startsWith("fanout") ? URI.create(args[1].split(",")[0]).resolve("topics/bench")
                : URI.create(args[1]);
        Load.Result result;
        try (Load load = new Load(uri)) {
            result = switch (args[0]) {
                case "closed" -> load.closedLoop(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        args[4].equals("binary"), Duration.ofSeconds(Long.parseLong(args[5])));
                case "open" -> load.openLoop(Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                        sources(Integer.parseInt(args[4])), Duration.ofSeconds(Long.parseLong(args[5])));
                case "handshakes" -> load.handshakes(Integer.parseInt(args[2]),
                        Duration.ofSeconds(Long.parseLong(args[3])));
                case "fanout" -> load.fanOut(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        Duration.ofSeconds(Long.parseLong(args[4])));
                case "fanout-rate" -> load.fanOutAtRate(Arrays.stream(args[1].split(","))
                                .map(echo -> URI.create(echo).resolve("topics/bench")).toList(),
                        Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                        Duration.ofSeconds(Long.parseLong(args[4])));
                default -> throw new IllegalArgumentException("No scenario " + args[0]);
            };
        }
        var micros = result.micros();
        System.out.printf("RESULT messages=%d seconds=%.3f p50=%d p99=%d p999=%d clientCpuMicrosPerMessage=%.2f%n",
                result.messages(), result.elapsed().toNanos() / 1e9, micros.getValueAtPercentile(50),
                micros.getValueAtPercentile(99), micros.getValueAtPercentile(99.9),
                result.clientCpuMicrosPerMessage());
        if (result.wrong() > 0) {
            System.out.printf("WRONG %d messages came back as other bytes than were sent; the first: %s%n",
                    result.wrong(), result.firstWrong());
            System.exit(3);
        }
    }

    /** 127.0.0.2, 127.0.0.3 …: each loopback source address has its own range of ephemeral ports. */
    private static List<String> sources(int count) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("127.0.0." + (2 + i));
        }
        return addresses;
    }
}
