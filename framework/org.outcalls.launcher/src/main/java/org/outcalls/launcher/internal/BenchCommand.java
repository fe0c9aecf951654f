package org.outcalls.launcher.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code outcalls bench}: the benchmark of {@code docs/PERFORMANCE.md}, in a JVM of its own on a
 * plain class path made of the distribution's jars ({@code tools/}, {@code lib/}, {@code bundle/},
 * {@code plugins/}), not inside the OSGi framework: a benchmark has to own every thread it
 * measures (no gateway, dashboard or file watcher beside it), build subnets of several sizes and
 * transports one after the other, and force collections to weigh the heap; a JVM of its own also
 * gets a fixed heap. {@code OUTCALLS_BENCH_OPTS} adds options to that JVM.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure what agreement costs: against a local HTTPS origin, a direct fetch through the adapter's "
                + "client and consented outcalls on subnets of 4, 7 and 13 replicas (in-JVM), 4 replicas over loopback "
                + "TCP with TLS, and 4 and 7 replicas each in a JVM of its own, in one run, each at saturation and under "
                + "sustained overload. Writes results.csv, results.png and summary.txt. A full run takes about twenty "
                + "minutes; --quick is a smoke run whose numbers mean nothing.",
                "Exit codes: 0 every figure measured, 1 failed, 2 wrong usage."})
final class BenchCommand implements Callable<Integer> {
    /** The folder of the distribution that holds the benchmark's own jar. */
    static final String TOOLS = "tools";
    static final String MAIN = "org.outcalls.bench.Bench";
    /** The benchmark JVM's heap: fixed, so the heap it weighs does not move with resizing. */
    static final List<String> JVM = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC", "-Djava.awt.headless=true");

    @Option(names = "--quick", description = "Smoke run: about a second per phase; the numbers mean nothing.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the results (default: outcalls-bench).")
    Path out;

    @Option(names = "--sizes", paramLabel = "N,…", split = ",",
            description = "Subnet sizes on the in-JVM transport (default: 4,7,13).")
    List<Integer> sizes;

    @Option(names = "--no-tcp", description = "Leave out n = 4 over loopback TCP with TLS in the benchmark's JVM.")
    boolean noTcp;

    @Option(names = "--hosts", paramLabel = "N,…|none", description = "Subnet sizes with each replica in a JVM of its own "
            + "over loopback TCP with TLS, as on n hosts (default: 4,7; with --quick: 4; none: leave them out).")
    String hosts;

    @Option(names = "--profile", description = "Record the run with Java Flight Recorder (bench.jfr in the results folder).")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        if (sizes != null) {
            for (int n : sizes) {
                if (n < 1 || n > 100) {
                    return usage("--sizes: " + n + " is not within 1..100");
                }
            }
        }
        Path home = Layout.detectHome();
        Path tools = home.resolve(TOOLS);
        if (jars(tools).isEmpty()) {
            System.err.println("outcalls bench: no benchmark jar in " + tools
                    + ": run it from a built distribution (distribution/target/outcalls-<version>/bin/outcalls bench)");
            return 1;
        }
        Path results = (out == null ? Path.of("outcalls-bench") : out).toAbsolutePath().normalize();
        Files.createDirectories(results);
        String classPath = Stream.of(TOOLS, "lib", "bundle", "plugins").map(d -> home.resolve(d).resolve("*").toString())
                .collect(Collectors.joining(File.pathSeparator));
        Path logback = home.resolve("conf").resolve("logback.xml");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        String extra = System.getenv("OUTCALLS_BENCH_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
        }
        command.add("-Dlogback.configurationFile=" + (Files.isRegularFile(logback) ? logback.toString()
                : "org/outcalls/launcher/internal/logback-default.xml"));
        command.add("-Doutcalls.logs=" + results);
        command.add("-Doutcalls.console.level=WARN");
        command.add("-Doutcalls.file.level=INFO");
        command.add("-Dvertx.logger-delegate-factory-class-name=io.vertx.core.logging.SLF4JLogDelegateFactory");
        command.addAll(List.of("-cp", classPath, MAIN, "--out", results.toString()));
        if (quick) {
            command.add("--quick");
        }
        if (noTcp) {
            command.add("--no-tcp");
        }
        if (profile) {
            command.add("--profile");
        }
        if (sizes != null) {
            command.addAll(List.of("--sizes", sizes.stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        if (hosts != null) {
            command.addAll(List.of("--hosts", hosts));
        }
        Process p = new ProcessBuilder(command).inheritIO().start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static int usage(String message) {
        System.err.println("outcalls bench: " + message);
        return ExitCodes.USAGE;
    }
}
