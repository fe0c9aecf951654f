package org.outcalls.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The assembled distribution under test: {@code target/outcalls-<version>/}. */
final class Dist {
    private Dist() {
    }

    static Path home() {
        String dir = System.getProperty("outcalls.dist");
        if (dir == null) {
            throw new IllegalStateException("system property outcalls.dist is not set: run the tests with Maven (verify)");
        }
        Path home = Path.of(dir);
        if (!Files.isDirectory(home.resolve("bundle"))) {
            throw new IllegalStateException("no distribution at " + home + ": run `package` first");
        }
        return home;
    }

    static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path target() {
        return home().getParent();
    }
}
