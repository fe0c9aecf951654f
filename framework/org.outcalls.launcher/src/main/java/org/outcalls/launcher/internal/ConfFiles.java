package org.outcalls.launcher.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Properties;

/**
 * Reads {@code conf/<pid>.cfg}: Java properties, one configuration per PID, read once at start.
 * Command-line flags override what the file says.
 */
final class ConfFiles {
    private ConfFiles() {
    }

    static Hashtable<String, Object> read(Path conf, String pid) {
        Hashtable<String, Object> result = new Hashtable<>();
        Path file = conf.resolve(pid + ".cfg");
        if (!Files.isRegularFile(file)) {
            return result;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        p.stringPropertyNames().forEach(k -> result.put(k, p.getProperty(k).strip()));
        return result;
    }
}
