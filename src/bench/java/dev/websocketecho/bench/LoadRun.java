package dev.websocketecho.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the {@link LoadGenerator} in a process of its own: it says CONNECTED once its connections are open (and
 * waits to be told to go on), MEASURING and MEASURED around its measurement, and RESULT with what it measured; the
 * servers are looked at between those lines.
 */
final class LoadRun {

    private static final Pattern RESULT = Pattern.compile("(\\w+)=([0-9.]+)");

    /** What the run looks at in the servers. */
    interface Servers {
        /** Every connection is open; the measurement has not begun. */
        default void connected() throws IOException, InterruptedException {
        }

        /** The servers' CPU time so far. */
        long cpuNanos() throws IOException;
    }

    /** The generator's results by name, and the servers' CPU time while it measured. */
    record Outcome(Map<String, Double> result, long serverCpuNanos) {
        double messages() {
            return result.get("messages");
        }

        double perSecond() {
            return messages() / result.get("seconds");
        }

        double serverCpuMicrosPerMessage() {
            return messages() == 0 ? 0 : serverCpuNanos / 1e3 / messages();
        }
    }

    private LoadRun() {
    }

    /**
     * @param command the generator's command line
     * @param seconds how long it measures
     * @param against what it runs against, for the failure's message
     */
    static Outcome run(List<String> command, int seconds, String against, Servers servers) throws Exception {
        Process generator = new ProcessBuilder(ServerProcess.withOpenFileLimit(command)).redirectErrorStream(true)
                .start();
        long cpuStart = 0;
        long cpuEnd = 0;
        Map<String, Double> result = new LinkedHashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(generator.getInputStream(),
                StandardCharsets.UTF_8)); var answer = generator.getOutputStream()) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.equals("CONNECTED")) {
                    servers.connected();
                    answer.write('\n');
                    answer.flush();
                } else if (line.equals("MEASURING")) {
                    cpuStart = servers.cpuNanos();
                } else if (line.equals("MEASURED")) {
                    cpuEnd = servers.cpuNanos();
                } else if (line.startsWith("RESULT ")) {
                    Matcher pair = RESULT.matcher(line);
                    while (pair.find()) {
                        result.put(pair.group(1), Double.parseDouble(pair.group(2)));
                    }
                }
            }
        } finally {
            if (!generator.waitFor(seconds + 240L, TimeUnit.SECONDS)) {
                generator.destroyForcibly();
            }
        }
        if (generator.exitValue() != 0 || result.isEmpty()) {
            throw new IllegalStateException("The load generator failed against " + against + ":\n" + output);
        }
        return new Outcome(result, cpuEnd - cpuStart);
    }
}
