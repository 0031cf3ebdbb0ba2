package dev.websocketecho.it.stress;

import dev.websocketecho.it.DeployedWar;
import dev.websocketecho.testing.RawWebSocket;
import dev.websocketecho.testing.RawWebSocket.Frame;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.websocketecho.testing.Eventually.assertEventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Churn: 20,000 cycles of connect, echo and leave, 16 at a time; every second one leaves without a close frame, its
 * socket reset ({@code SO_LINGER} 0) as a crashed client's would be. Afterwards no session is left open, and the
 * server's heap after a full collection is back within 10 % of where it was before the cycles (measured with
 * {@code jcmd} on the Payara Micro process that the test started, within {@link #SETTLING}).
 */
class ChurnIT extends DeployedWar {

    private static final int CYCLES = 20_000;
    private static final int WARM_UP_CYCLES = 2_000;
    private static final int CONCURRENCY = 16;
    private static final Duration BOUND = Duration.ofMinutes(5);
    /**
     * Payara's Grizzly lets go of a closed connection's objects at its next check of idle connections, up to about 30 s
     * later; so the heap is measured again until it is back or this much time has passed.
     */
    private static final Duration SETTLING = Duration.ofSeconds(90);
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
    /** Java 17 prints {@code total 163840K, used 44952K}, Java 25 {@code total reserved 6172672K, committed 163840K,
     * used 44952K}. */
    private static final Pattern HEAP_USED = Pattern.compile(
            "heap\\s+total (?:reserved \\d+K, committed )?\\d+K, used (\\d+)K");

    @Test
    void leavesNoSessionAndNoHeapBehind() throws Exception {
        long pid = containerPid();
        long total = stat("totalSessions");
        cycles(WARM_UP_CYCLES);
        assertEventually(0L, () -> stat("openSessions"), Duration.ofSeconds(60), "open sessions after warming up");
        long heapBefore = heapAfterFullGc(pid);
        Map<String, Long> classesBefore = histogram(pid);

        cycles(CYCLES);
        assertEventually(0L, () -> stat("openSessions"), Duration.ofSeconds(60), "open sessions after the churn");
        assertEquals(total + WARM_UP_CYCLES + CYCLES, stat("totalSessions"));
        long bound = heapBefore + heapBefore / 10;
        long settleBy = System.nanoTime() + SETTLING.toNanos();
        long heapAfter = heapAfterFullGc(pid);
        while (heapAfter > bound && System.nanoTime() - settleBy < 0) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            heapAfter = heapAfterFullGc(pid);
        }
        System.out.printf("Churn: heap after a full GC %d KiB before, %d KiB after %d cycles%n", heapBefore, heapAfter,
                CYCLES);
        if (heapAfter > bound) {
            throw new AssertionError("heap after a full GC grew from " + heapBefore + " KiB to " + heapAfter
                    + " KiB over " + CYCLES + " connections; the classes that grew most: "
                    + grownMost(classesBefore, histogram(pid)));
        }
    }

    private void cycles(int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int cycle = i;
                results.add(clients.submit(() -> {
                    cycle(cycle);
                    return null;
                }));
            }
            long deadline = System.nanoTime() + BOUND.toNanos();
            for (Future<?> result : results) {
                result.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private void cycle(int cycle) throws IOException {
        byte[] message = ("cycle " + cycle).getBytes(StandardCharsets.UTF_8);
        RawWebSocket ws = RawWebSocket.open(echoUri().getPort(), echoUri().getPath());
        try {
            ws.send(RawWebSocket.TEXT, message);
            Frame echo = ws.readSkippingPings();
            assertArrayEquals(message, echo.payload(), "echo of cycle " + cycle);
            if (cycle % 2 == 0) {
                ws.sendClose(1000, new byte[0]);
                assertEquals(1000, ws.awaitClose().closeCode());
            } else {
                ws.resetOnClose();
            }
        } finally {
            ws.close();
        }
    }

    /** The Payara Micro process that Arquillian started from this JVM. */
    private static long containerPid() {
        return ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("payara-micro"))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No Payara Micro process under the tests' JVM"));
    }

    private static long heapAfterFullGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new AssertionError("No heap use in: " + info);
        }
        return Long.parseLong(used.group(1));
    }

    /** Bytes per class, from {@code jcmd GC.class_histogram}. */
    private static Map<String, Long> histogram(long pid) throws Exception {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            Matcher row = HISTOGRAM_ROW.matcher(line);
            if (row.find()) {
                bytes.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
            }
        }
        return bytes;
    }

    private static String grownMost(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(12)
                .map(entry -> entry.getKey() + " +" + entry.getValue() / 1024 + " KiB")
                .collect(Collectors.joining(", "));
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // Into a file, not a pipe: a class histogram outgrows a pipe's buffer before jcmd ends.
        Path output = Files.createTempFile("jcmd", ".txt");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("jcmd " + command + " did not finish within 60 s");
            }
            String text = Files.readString(output);
            assertEquals(0, process.exitValue(), text);
            return text;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
