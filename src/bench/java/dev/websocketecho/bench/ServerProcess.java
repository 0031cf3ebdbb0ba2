package dev.websocketecho.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server under test in a process of its own, on 127.0.0.1: started, awaited until its echo endpoint answers, read
 * for CPU time and resident memory through {@code /proc} and for live heap through {@code jcmd}, and stopped by its
 * PID (with whatever it started). Where the command is a launcher (WildFly's {@code standalone.sh}, {@code asadmin
 * start-domain --verbose}), the server is the JVM it starts: the measured process is the youngest Java process among
 * the command's own and its descendants.
 */
final class ServerProcess implements AutoCloseable {

    private static final long TICKS_PER_SECOND = 100;
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

    private final String name;
    private final Process process;
    private final URI echo;
    private ProcessHandle measured;

    private ServerProcess(String name, Process process, URI echo) {
        this.name = name;
        this.process = process;
        this.echo = echo;
        this.measured = process.toHandle();
    }

    /**
     * Starts {@code command} with a raised open-file limit (so that it can hold many connections), {@code environment}
     * added to its environment and its output in {@code log}, then waits until a WebSocket handshake to {@code echo}
     * succeeds.
     */
    static ServerProcess start(String name, List<String> command, Map<String, String> environment, URI echo, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(withOpenFileLimit(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        ServerProcess server = new ServerProcess(name, process, echo);
        try {
            server.awaitReady(Duration.ofMinutes(3));
        } catch (IOException | RuntimeException notReady) {
            server.close();
            throw notReady;
        }
        server.measured = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(handle -> handle.info().command().orElse("").endsWith("/java"))
                .max(Comparator.comparing(handle -> handle.info().startInstant().orElse(Instant.MIN)))
                .orElse(process.toHandle());
        return server;
    }

    /** The command run by a shell that first raises the open-file limit as far as it may (root: 200,000). */
    static List<String> withOpenFileLimit(List<String> command) {
        List<String> raised = new ArrayList<>(List.of("bash", "-c",
                "ulimit -n 200000 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec \"$0\" \"$@\""));
        raised.addAll(command);
        return raised;
    }

    String name() {
        return name;
    }

    URI echo() {
        return echo;
    }

    /** The server's JVM. */
    long pid() {
        return measured.pid();
    }

    /** User plus system CPU time of the process so far, in nanoseconds (10 ms resolution). */
    long cpuNanos() throws IOException {
        return cpuNanos(pid());
    }

    /** User plus system CPU time of process {@code pid} so far, in nanoseconds (10 ms resolution). */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;
    }

    /** Resident memory of the process now, in bytes. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("No VmRSS for " + pid());
    }

    /**
     * Bytes of live objects on the server's heap: {@code jcmd GC.class_histogram} collects the whole heap first and
     * counts what is left.
     */
    long liveHeapBytes() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(2, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd failed on " + name + ": " + output);
        }
        Matcher total = HISTOGRAM_TOTAL.matcher(output);
        if (!total.find()) {
            throw new IOException("No total in the class histogram of " + name + ": " + output);
        }
        return Long.parseLong(total.group(1));
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException(name + " ended with " + process.exitValue() + " before it was ready");
            }
            if (upgrades()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IOException(name + " was not ready within " + timeout);
    }

    /** Whether a WebSocket handshake to the echo endpoint is answered with 101 now. */
    private boolean upgrades() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(echo.getHost(), echo.getPort()), 1000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + echo.getPath() + " HTTP/1.1\r\nHost: " + echo.getHost() + ":"
                    + echo.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] status = socket.getInputStream().readNBytes(12);
            return new String(status, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> started = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        started.forEach(ProcessHandle::destroy);
        try {
            CompletableFuture.allOf(started.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException stillRunning) {
            started.forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException interrupted) {
            started.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
