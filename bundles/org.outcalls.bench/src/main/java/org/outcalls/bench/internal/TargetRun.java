package org.outcalls.bench.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures one target, each phase after the last: warm-up; the search for the best window (full
 * runs); saturation at it; sustained overload at 4× and 16× it (subnets); light load; half of
 * saturation; heap per in-flight outcall. Says what it measured on the way.
 */
final class TargetRun {
    private final BenchSettings settings;
    private final PrintStream out;
    private final Target target;
    private final Probe probe;
    private final OriginProcess origin;
    private final AtomicLong tags;
    private final Load load;

    TargetRun(BenchSettings settings, PrintStream out, Target target, Probe probe, OriginProcess origin, AtomicLong tags) {
        this.settings = settings;
        this.out = out;
        this.target = target;
        this.probe = probe;
        this.origin = origin;
        this.tags = tags;
        this.load = new Load(target, probe, origin, tags);
    }

    /** At most this long of warm-up more for a target that has not decided a first window yet. */
    static final long READY_NANOS = 60_000_000_000L;

    /**
     * Warms the target up, and goes on until it has decided a first window of outcalls: a replica in
     * its own JVM, cold on a busy machine, can take longer than a smoke run's warm-up to decide its
     * first one, and a target measured before it decides anything would show nothing.
     */
    private void warmUp(String url, int firstWindow) throws InterruptedException {
        long decidedBefore = probe.finished() - probe.busy();
        long warmupNanos = settings.warmupMillis(target.jvmPerReplica()) * 1_000_000;
        long deadline = System.nanoTime() + warmupNanos + READY_NANOS;
        do {
            load.closed(url, firstWindow, warmupNanos, 1_000_000);
        } while (probe.finished() - probe.busy() - decidedBefore < firstWindow && System.nanoTime() < deadline);
    }

    /**
     * A closed-loop phase; in a smoke run, measured again (up to five times) while its one-second
     * window saw nothing decided or nothing submitted: a subnet of one JVM per replica, still
     * settling on a busy machine, can stall for longer than that, and a phase that saw nothing has
     * no figure to give. A full run's windows are long enough and are measured once.
     */
    private Load.Window closedUntilSeen(String url, int window, long warmupNanos, long measureMillis)
            throws InterruptedException {
        Load.Window w = load.closed(url, window, warmupNanos, measureMillis * 1_000_000);
        for (int again = 0; again < 5 && settings.quick() && (w.perSecond() <= 0 || Double.isNaN(w.refusedShare())); again++) {
            w = load.closed(url, window, warmupNanos, measureMillis * 1_000_000);
        }
        return w;
    }

    Row run(String label) throws Exception {
        out.printf(Locale.ROOT, "%s: ", label);
        out.flush();
        String url = origin.url("/data");
        int n = target.replicas();
        int firstWindow = n == 1 ? 16 : 64;
        warmUp(url, firstWindow);
        int window = settings.quick() ? 64 : bestWindow(url, firstWindow, n);
        long phaseWarmup = settings.phaseWarmupMillis() * 1_000_000;
        Load.Window saturation = closedUntilSeen(url, window, phaseWarmup, settings.saturationMillis());
        print("saturation %,.0f/s, ", saturation.perSecond());
        List<Row.Overload> overloads = new ArrayList<>();
        if (n > 1) {
            for (int factor : BenchSettings.OVERLOAD_FACTORS) {
                Load.Window w = closedUntilSeen(url, factor * window, phaseWarmup, settings.overloadMillis());
                overloads.add(new Row.Overload(factor, factor * window, w.perSecond(), w.refusedPerSecond(), w.refusedShare()));
                print("%d× %,.0f/s (%.0f%% of peak, %,.0f refused/s), ", factor, w.perSecond(),
                        100 * w.perSecond() / saturation.perSecond(), w.refusedPerSecond());
            }
        }
        Load.Window light = load.open(url, settings.lightRate(), phaseWarmup / 2, settings.lightMillis() * 1_000_000, 1);
        print("light p50 %.2f ms, ", light.phase().quantileNanos(0.5) / 1e6);
        double halfRate = saturation.perSecond() / 2;
        Load.Window half = load.open(url, halfRate, phaseWarmup, settings.halfMillis() * 1_000_000, 2);
        print("half-load p50 %.2f ms, ", half.phase().quantileNanos(0.5) / 1e6);
        HeapPerInFlight.Reading heap = new HeapPerInFlight(target, probe, origin, tags, settings).measure();
        out.printf(Locale.ROOT, "heap %,.0f B per in-flight outcall (%d held)%s%n", heap.bytesPerOutcall(), heap.held(),
                probe.rejects() == 0 ? ""
                : String.format(Locale.ROOT, "; %d rejects, the first: %s", probe.rejects(), probe.firstReject()));
        return new Row(label, target.transport(), n, window, saturation.perSecond(), settings.lightRate(),
                light.phase().quantileNanos(0.5) / 1e6, light.phase().quantileNanos(0.99) / 1e6, halfRate,
                half.phase().quantileNanos(0.5) / 1e6, half.phase().quantileNanos(0.99) / 1e6,
                saturation.cpuMicrosPerOutcall(), saturation.originCpuMicrosPerOutcall() / n,
                n == 1 ? Double.NaN : saturation.blocksPerSecond(), heap.held(), heap.bytesPerOutcall(), probe.rejects(),
                saturation.refused() + light.refused() + half.refused(), overloads, light.cpuMicrosPerOutcall(),
                saturation.signaturesPerOutcall(), light.signaturesPerOutcall());
    }

    /** Windows 64, 128, … (16 … 512 for the direct fetch) for a search step each; the best, or the first well past it. */
    private int bestWindow(String url, int firstWindow, int n) throws InterruptedException {
        int window = firstWindow;
        double best = 0;
        for (int w = firstWindow; w <= (n == 1 ? 512 : 4096); w *= 2) {
            Load.Window step = load.closed(url, w, settings.phaseWarmupMillis() * 1_000_000,
                    settings.searchStepMillis() * 1_000_000);
            print("[%d in flight: %,.0f/s%s] ", w, step.perSecond(), n == 1 ? ""
                    : String.format(Locale.ROOT, ", %.0f blocks/s", step.blocksPerSecond()));
            if (step.perSecond() > best) {
                window = w;
                best = step.perSecond();
            } else if (step.perSecond() < best * 0.7) {
                break; // well past saturation
            }
        }
        return window;
    }

    private void print(String format, Object... args) {
        out.printf(Locale.ROOT, format, args);
        out.flush();
    }
}
