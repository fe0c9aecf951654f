package org.outcalls.launcher.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a distribution keeps its parts: {@code bundle/} (the runtime), {@code plugins/} (watched
 * for hot deploy), {@code conf/} (configuration read at start) and the data folder (framework
 * cache, logs, replica state).
 */
record Layout(Path home, Path data) {

    /** The home set by {@code bin/outcalls}, or the working directory when run from a build. */
    static Path detectHome() {
        String home = System.getProperty("outcalls.home");
        return (home == null ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    static Layout of(Path home, Path dataOrNull) {
        Path data = dataOrNull == null ? home.resolve("data") : dataOrNull.toAbsolutePath().normalize();
        return new Layout(home, data);
    }

    Path bundles() {
        return home.resolve("bundle");
    }

    Path plugins() {
        return home.resolve("plugins");
    }

    Path conf() {
        return home.resolve("conf");
    }

    Path logs() {
        return data.resolve("logs");
    }

    Path frameworkCache() {
        return data.resolve("felix-cache");
    }

    /** Checks the parts a runtime needs exist; the message says what is missing and where. */
    void requireRuntime() {
        if (!Files.isDirectory(bundles())) {
            throw new IllegalStateException("no bundle folder at " + bundles()
                    + ": run outcalls from a built distribution (distribution/target/outcalls-<version>/bin/outcalls)");
        }
    }
}
