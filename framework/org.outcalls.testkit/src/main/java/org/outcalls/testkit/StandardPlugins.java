package org.outcalls.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The plugins the distribution ships (transforms {@code identity}, {@code strip-headers},
 * {@code keep-headers}, {@code json}, {@code number}, {@code regex}; policies {@code two-thirds},
 * {@code single-replica}, {@code median}; {@code methods}), made for a {@link TestSubnet} the way
 * {@code outcalls run} installs and enables them. They come with the testkit as runtime
 * dependencies and are created by name, so the testkit itself compiles against the API alone.
 */
public final class StandardPlugins {
    private static final List<String> CLASSES = List.of(
            "org.outcalls.transform.basic.internal.IdentityTransform",
            "org.outcalls.transform.basic.internal.StripHeadersTransform",
            "org.outcalls.transform.basic.internal.KeepHeadersTransform",
            "org.outcalls.transform.json.internal.JsonTransform",
            "org.outcalls.transform.json.internal.NumberTransform",
            "org.outcalls.transform.regex.internal.RegexTransform",
            "org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy",
            "org.outcalls.quorum.single.internal.SingleReplicaPolicy",
            "org.outcalls.quorum.median.internal.MedianPolicy",
            "org.outcalls.methods.internal.Methods");

    private StandardPlugins() {
    }

    /**
     * The version the standard plugins are installed at: this Outcalls release as
     * {@code major.minor.micro}, as the host reads it from their bundles.
     */
    public static String version() {
        String v = properties().getProperty("outcalls.version", "0.0.0");
        int dash = v.indexOf('-');
        return dash < 0 ? v : v.substring(0, dash);
    }

    /** A new instance of every standard plugin (install each at {@link #version()}, or use {@link #installOn}). */
    public static List<Object> all() {
        List<Object> out = new ArrayList<>();
        for (String name : CLASSES) {
            try {
                out.add(Class.forName(name, true, StandardPlugins.class.getClassLoader())
                        .getConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("standard plugin " + name + " is not on the class path: depend on "
                        + "org.outcalls.testkit with its runtime dependencies (" + e + ")", e);
            }
        }
        return out;
    }

    /** Installs every standard plugin on the subnet at {@link #version()}, without enabling any. */
    public static TestSubnet.Builder installOn(TestSubnet.Builder builder) {
        all().forEach(p -> builder.plugin(p, version()));
        return builder;
    }

    /** Installs every standard plugin on the subnet and enables them, as {@code outcalls run} does. */
    public static TestSubnet.Builder addTo(TestSubnet.Builder builder) {
        return installOn(builder).enableInstalled();
    }

    static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = StandardPlugins.class.getResourceAsStream("testkit.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
