package org.outcalls.distribution;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds plugin bundles in the test (driver) JVM with bnd, the tool that builds every bundle of
 * the project, from classes compiled with the tests: the same classes at any Bundle-Version.
 * Kept out of the test classes so the probe inside the framework never loads bnd.
 */
final class TestBundles {
    /** Symbolic name of the {@code hotswap-tag} transform bundle ({@code plugin.TagTransform}). */
    static final String TAG_BSN = "org.outcalls.it.tag";

    private TestBundles() {
    }

    /** The {@code hotswap-tag} transform at {@code version}, written to {@code dir}. */
    static Path tag(Path dir, String version) throws Exception {
        return build(dir.resolve(TAG_BSN + "-" + version + ".jar"), TAG_BSN, version, "org.outcalls.distribution.plugin");
    }

    private static Path build(Path out, String bsn, String version, String pkg) throws Exception {
        Files.createDirectories(out.getParent());
        try (Builder b = new Builder()) {
            b.setProperty("Bundle-SymbolicName", bsn);
            b.setProperty("Bundle-Version", version);
            b.setProperty("-privatepackage", pkg);
            b.setProperty("-dsannotations", "*");
            b.setProperty("-noimportjava", "true");
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isBlank() && new File(entry).exists()) {
                    b.addClasspath(new File(entry));
                }
            }
            Jar jar = b.build();
            if (!b.isOk()) {
                throw new IllegalStateException("bnd could not build " + bsn + " " + version + ": " + b.getErrors());
            }
            jar.write(out.toFile());
        }
        return out;
    }
}
