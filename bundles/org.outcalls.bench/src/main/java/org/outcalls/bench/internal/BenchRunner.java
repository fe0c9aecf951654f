package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark run: the origin in its own JVM; then, one after the other in this JVM, the direct
 * fetch and each subnet, each measured the same way (warm-up, saturation, light load, half load,
 * heap per in-flight outcall); then the CSV, the chart and the summary.
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
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (profiler != null) {
                profiler.stop();
            }
        }
        Report report = new Report(machine.withEndLoad(Meters.loadAverage()), settings, rows);
        report.write(settings.out());
        return report;
    }

    private Row measure(Target target, String label, OriginProcess origin, Probe probe) throws Exception {
        try (target) {
            out.printf(Locale.ROOT, "%s: ", label);
            out.flush();
            Load load = new Load(target, probe, origin, tags);
            String url = origin.url("/data");
            int n = target.replicas();
            int firstWindow = n == 1 ? 16 : 64;
            load.closed(url, firstWindow, settings.warmupMillis() * 1_000_000, 1_000_000);

            int window;
            if (settings.quick()) {
                window = 64;
            } else {
                window = firstWindow;
                double best = 0;
                for (int w = firstWindow; w <= (n == 1 ? 512 : 4096); w *= 2) {
                    Load.Window step = load.closed(url, w, settings.phaseWarmupMillis() * 1_000_000,
                            settings.searchStepMillis() * 1_000_000);
                    out.printf(Locale.ROOT, "[%d in flight: %,.0f/s%s] ", w, step.perSecond(), n == 1 ? ""
                            : String.format(Locale.ROOT, ", %.0f blocks/s", step.blocksPerSecond()));
                    out.flush();
                    if (step.perSecond() > best) {
                        window = w;
                        best = step.perSecond();
                    } else if (step.perSecond() < best * 0.7) {
                        break; // well past saturation
                    }
                }
            }
            long phaseWarmup = settings.phaseWarmupMillis() * 1_000_000;
            Load.Window saturation = load.closed(url, window, phaseWarmup, settings.saturationMillis() * 1_000_000);
            out.printf(Locale.ROOT, "saturation %,.0f/s, ", saturation.perSecond());
            out.flush();
            Load.Window light = load.open(url, settings.lightRate(), phaseWarmup / 2, settings.lightMillis() * 1_000_000, 1);
            out.printf(Locale.ROOT, "light p50 %.2f ms, ", light.phase().quantileNanos(0.5) / 1e6);
            out.flush();
            double halfRate = saturation.perSecond() / 2;
            Load.Window half = load.open(url, halfRate, phaseWarmup, settings.halfMillis() * 1_000_000, 2);
            out.printf(Locale.ROOT, "half-load p50 %.2f ms, ", half.phase().quantileNanos(0.5) / 1e6);
            out.flush();
            double heap = heapPerInFlight(target, probe, origin, settings.heapOutcalls());
            out.printf(Locale.ROOT, "heap %,.0f B per in-flight outcall%s%n", heap, probe.rejects() == 0 ? ""
                    : String.format(Locale.ROOT, "; %d rejects, the first: %s", probe.rejects(), probe.firstReject()));
            return new Row(label, target.transport(), n, window, saturation.perSecond(), settings.lightRate(),
                    light.phase().quantileNanos(0.5) / 1e6, light.phase().quantileNanos(0.99) / 1e6, halfRate,
                    half.phase().quantileNanos(0.5) / 1e6, half.phase().quantileNanos(0.99) / 1e6,
                    saturation.cpuMicrosPerOutcall(), saturation.originCpuMicrosPerOutcall() / n,
                    n == 1 ? Double.NaN : saturation.blocksPerSecond(), settings.heapOutcalls(),
                    heap, probe.rejects(), saturation.refused() + light.refused() + half.refused());
        }
    }

    /**
     * Heap held per outcall in flight: {@code count} outcalls whose fetch the origin answers at once
     * for n − f − 1 replicas and holds for the others, so every replica has the request context and
     * n − f − 1 signed shares, one fewer than agreement needs, and f + 1 replicas wait for the
     * origin. Live heap (after full collections) with them in flight, minus before, divided by
     * {@code count}. Bodies are 16 bytes. NaN if some ended before the measurement.
     */
    private double heapPerInFlight(Target target, Probe probe, OriginProcess origin, int count) throws Exception {
        int n = target.replicas();
        int answering = n == 1 ? 0 : n - (n - 1) / 3 - 1;
        String url = origin.url("/hold?answer=" + answering + "&size=16");
        origin.hold();
        long requests0 = origin.stats()[0];
        long before = Meters.liveHeapBytes();
        Phase phase = new Phase(null);
        for (int i = 0; i < count; i++) {
            long tag = tags.incrementAndGet();
            probe.started(tag, System.nanoTime(), phase);
            while (!target.submit(tag, url)) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }
        // Every answering replica has fetched every outcall, and the count of requests is stable.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long seen = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = origin.stats()[0] - requests0;
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (now >= (long) count * answering && System.nanoTime() - stableSince > (settings.quick() ? 200 : 500) * 1_000_000L) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        long held = Meters.liveHeapBytes();
        boolean allInFlight = phase.finishedCount() == 0;
        origin.release();
        phase.drain(TimeUnit.SECONDS.toNanos(90));
        origin.hold();
        return allInFlight ? (double) (held - before) / count : Double.NaN;
    }
}
