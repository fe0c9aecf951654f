package org.outcalls.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * "Release N+1" for upgrade tests: a copy of the assembled distribution (release N) in which the
 * replica and transport jars ({@code bundle/}, and {@code lib/} where it has them) carry recompiled version classes — {@code StoreFormat} writing
 * format 3 (it reads 2 and 3, migrating 2) and {@code ProtocolVersions} speaking 1..3 — built from
 * this tree's own sources with one line changed each. Everything else is byte for byte release N,
 * so what differs between the two releases is exactly what a release that bumps both versions
 * changes: the numbers, and the migration step and negotiation they drive.
 */
final class NextRelease {
    /** One source file, the line that changes, and the bundle jar its classes go into. */
    private record Patch(String source, String from, String to, String jar) {
    }

    private static final List<Patch> PATCHES = List.of(
            new Patch("bundles/org.outcalls.replica/src/main/java/org/outcalls/replica/internal/store/StoreFormat.java",
                    "    static int current() {\n        return 2;", "    static int current() {\n        return 3;",
                    "org.outcalls.replica-"),
            new Patch("bundles/org.outcalls.transport/src/main/java/org/outcalls/transport/ProtocolVersions.java",
                    "return new ProtocolVersions(1, 2);", "return new ProtocolVersions(1, 3);",
                    "org.outcalls.transport-"));

    private NextRelease() {
    }

    /** Assembles release N+1 from {@code releaseN} into {@code to}. */
    static Path assemble(Path releaseN, Path to, Path work) throws IOException {
        HostFiles.copyTree(releaseN, to);
        List<Path> classpath = Dist.jars(releaseN.resolve("bundle"));
        for (Patch p : PATCHES) {
            Path source = sources().resolve(p.source());
            String text = Files.readString(source);
            if (!text.contains(p.from())) {
                throw new IllegalStateException(source + " no longer contains '" + p.from() + "': update NextRelease");
            }
            String className = source.getFileName().toString().replace(".java", "");
            Path src = work.resolve("src-" + className).resolve(source.getFileName());
            Files.createDirectories(src.getParent());
            Files.writeString(src, text.replace(p.from(), p.to()));
            Path classes = work.resolve("classes-" + className);
            Files.createDirectories(classes);
            compile(src, classes, classpath);
            // the framework's bundle, and the same jar on the class path of the client commands (restore reads stores)
            List<Path> jars = Stream.concat(Dist.jars(to.resolve("bundle")).stream(), Dist.jars(to.resolve("lib")).stream())
                    .filter(j -> j.getFileName().toString().startsWith(p.jar())).toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no jar " + p.jar() + "* in " + to);
            }
            for (Path jar : jars) {
                replaceClasses(jar, classes);
            }
        }
        return to;
    }

    /** The source tree the distribution was built from (failsafe runs in {@code distribution/}). */
    static Path sources() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
    }

    private static void compile(Path source, Path classes, List<Path> classpath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = List.of("--release", "17", "-proc:none", "-d", classes.toString(), "-cp",
                classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        List<String> all = new ArrayList<>(args);
        all.add(source.toString());
        int rc = javac.run(null, out, out, all.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("compiling " + source + " failed (" + rc + "): " + out.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Rewrites {@code jar} with every class file under {@code classes} in place of the one of that name. */
    private static void replaceClasses(Path jar, Path classes) throws IOException {
        Map<String, Path> replacements = new HashMap<>();
        try (Stream<Path> s = Files.walk(classes)) {
            s.filter(p -> p.toString().endsWith(".class"))
                    .forEach(p -> replacements.put(classes.relativize(p).toString().replace('\\', '/'), p));
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int replaced = 0;
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            try (OutputStream o = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(o, manifest)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    Path r = replacements.get(e.getName());
                    if (r != null) {
                        Files.copy(r, out);
                        replaced++;
                    } else {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        if (replaced != replacements.size()) {
            throw new IllegalStateException(jar + ": replaced " + replaced + " of " + replacements.keySet());
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
