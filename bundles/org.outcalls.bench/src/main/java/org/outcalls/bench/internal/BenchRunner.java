package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark run: the origin in its own JVM; then, one after the other, the direct fetch and each
 * subnet (in this JVM, or with each replica in a JVM of its own), each measured the same way
 * ({@link TargetRun}); then the CSV, the chart and the summary.
 */
final class BenchRunner {
    private final BenchSettings settings;
    private final PrintStream out;
    private final AtomicLong tags = new AtomicLong();

    BenchRunner(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    Report run() throws Exception {
        Files.createDirectories(settings.out());
        Machine machine = Machine.now();
        out.println(machine.describe());
        out.printf(Locale.ROOT, "mode: %s; results in %s%n", settings.quick() ? "quick (smoke run: the numbers mean nothing)"
                : "full", settings.out());
        Ed25519Speed speed = Ed25519Speed.measure(settings.quick() ? 200 : 2_000);
        out.printf(Locale.ROOT, "Ed25519 on one thread: sign %.1f µs, check %.1f µs%n", speed.signMicros(), speed.verifyMicros());
        Profiler profiler = settings.profile() ? Profiler.start(settings.out().resolve("bench.jfr")) : null;
        List<Row> rows = new ArrayList<>();
        try (OriginProcess origin = OriginProcess.start(settings.classPath(), settings.out().resolve("origin.log"))) {
            Vertx vertx = Vertx.vertx();
            try {
                Probe direct = new Probe();
                rows.add(measure(new DirectTarget(vertx, origin.caPem(), direct), "direct fetch", origin, direct));
                for (int n : settings.sizes()) {
                    Probe probe = new Probe();
                    rows.add(measure(new EmbeddedTarget(vertx, origin.caPem(), n, probe), "in-JVM n=" + n, origin, probe));
                }
                if (settings.tcp()) {
                    Probe probe = new Probe();
                    rows.add(measure(new TcpTarget(vertx, origin.caPem(), 4, probe), "TCP+TLS n=4", origin, probe));
                }
                for (int n : settings.hosts()) {
                    Probe probe = new Probe();
                    Path dir = Files.createDirectories(settings.out().resolve("hosts-" + n));
                    rows.add(measure(new HostsTarget(settings.classPath(), origin.caPem(), n, probe, dir), "hosts n=" + n,
                            origin, probe));
                }
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (profiler != null) {
                profiler.stop();
            }
        }
        Report report = new Report(machine.withEndLoad(Meters.loadAverage()), speed, settings, rows);
        report.write(settings.out());
        return report;
    }

    private Row measure(Target target, String label, OriginProcess origin, Probe probe) throws Exception {
        try (target) {
            return new TargetRun(settings, out, target, probe, origin, tags).run(label);
        }
    }
}
