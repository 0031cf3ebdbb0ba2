package dev.websocketecho.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Finds the programs from Debian's packages that some integration tests drive. */
public final class Executables {

    private Executables() {
    }

    /**
     * The path of {@code name} on the PATH or in {@code /usr/sbin}. When it is missing the calling test is skipped with
     * a line saying how to install it, except in CI ({@code CI=true}), where a missing program is a failure.
     */
    public static String require(String name, String install) {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin"))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, name))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseGet(() -> missing(name + " is not installed; install it with: " + install));
    }

    private static String missing(String message) {
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
