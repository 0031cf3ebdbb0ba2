package dev.websocketecho.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK of a given feature release on this machine, for servers that run on another Java than the benchmark: the
 * one running the benchmark, else one under {@code /usr/lib/jvm}.
 */
final class Jdk {

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private Jdk() {
    }

    /** The home of a JDK of feature release {@code feature}. */
    static Path home(int feature) throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path installed = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> homes = Files.list(installed)) {
                homes.sorted().forEach(candidates::add);
            }
        }
        for (Path home : candidates) {
            if (feature(home).filter(found -> found == feature).isPresent()
                    && Files.isExecutable(home.resolve("bin").resolve("java"))) {
                return home;
            }
        }
        throw new IOException("No JDK " + feature + " here (" + candidates + "); the servers of the Payara 6 line and "
                + "WildFly are measured on it, as the test matrix runs them");
    }

    private static Optional<Integer> feature(Path home) throws IOException {
        Path release = home.resolve("release");
        if (!Files.isReadable(release)) {
            return Optional.empty();
        }
        Matcher version = VERSION.matcher(Files.readString(release));
        return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
    }
}
