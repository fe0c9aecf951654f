package org.outcalls.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Build facts filtered into the launcher jar. */
final class LauncherInfo {
    private static final Properties PROPERTIES = load();

    private LauncherInfo() {
    }

    static String version() {
        return PROPERTIES.getProperty("version");
    }

    static String slf4jVersion() {
        return PROPERTIES.getProperty("slf4j.version");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = LauncherInfo.class.getResourceAsStream("launcher.properties")) {
            if (in == null) {
                throw new IllegalStateException("launcher.properties missing from the launcher jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
