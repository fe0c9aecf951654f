package org.outcalls.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A run's figures: the summary with ratios to the baseline and the targets, the CSV, the chart. */
final class Report {
    static final String CSV = "results.csv";
    static final String PNG = "results.png";
    static final String SUMMARY = "summary.txt";
    static final double HEAP_TARGET_BYTES = 16 * 1024;

    /** One target of the issue, judged on this run. */
    record Target(String what, String measured, Boolean met) {
        String verdict() {
            return met == null ? "not measured" : met ? "met" : "NOT met";
        }
    }

    private final Machine machine;
    private final Ed25519Speed speed;
    private final BenchSettings settings;
    private final List<Row> rows;

    Report(Machine machine, Ed25519Speed speed, BenchSettings settings, List<Row> rows) {
        this.machine = machine;
        this.speed = speed;
        this.settings = settings;
        this.rows = List.copyOf(rows);
    }

    List<Row> rows() {
        return rows;
    }

    /**
     * Whether every target produced every figure (positive throughput, latencies, CPU and heap; for a
     * subnet, its signature work and both overload phases).
     */
    boolean complete() {
        return rows.stream().allMatch(r -> r.saturationPerSecond() > 0 && Double.isFinite(r.lightP50())
                && Double.isFinite(r.lightP99()) && Double.isFinite(r.halfP50()) && Double.isFinite(r.halfP99())
                && r.cpuMicrosPerOutcall() > 0 && Double.isFinite(r.heapBytesPerOutcall())
                && (r.replicas() == 1 || signaturesCounted(r) && r.lightCpuMicrosPerOutcall() > 0)
                && (r.replicas() == 1 || BenchSettings.OVERLOAD_FACTORS.stream().allMatch(f -> r.overload(f)
                .map(o -> Double.isFinite(o.perSecond()) && Double.isFinite(o.refusedPerSecond())).orElse(false))));
    }

    /**
     * Signatures made, and checks where they must happen: a subnet in one JVM checks none on the
     * curve (what it made, it knows to be valid), but replicas in JVMs of their own check each
     * other's.
     */
    private static boolean signaturesCounted(Row r) {
        double checked = r.saturationSignatures().checked();
        return r.saturationSignatures().made() > 0 && (r.transport().equals("hosts") ? checked > 0 : Double.isFinite(checked));
    }

    Row baseline() {
        return rows.stream().filter(r -> r.replicas() == 1 && r.transport().equals("direct fetch")).findFirst().orElseThrow();
    }

    Optional<Row> inJvm(int n) {
        return rows.stream().filter(r -> r.replicas() == n && r.transport().equals("in-JVM")).findFirst();
    }

    /** Saturation throughput over (baseline ÷ n): the share of a direct fetch per replica that a subnet reaches. */
    double throughputRatio(Row r) {
        return r.saturationPerSecond() / (baseline().saturationPerSecond() / r.replicas());
    }

    /** CPU per outcall over n direct fetches' CPU: what agreement costs on top of n fetches. */
    double cpuRatio(Row r) {
        return r.cpuMicrosPerOutcall() / (baseline().cpuMicrosPerOutcall() * r.replicas());
    }

    /** CPU per outcall against n over the in-JVM subnets. */
    Fit cpuFit() {
        List<double[]> points = new ArrayList<>();
        rows.stream().filter(r -> r.transport().equals("in-JVM")).forEach(r -> points.add(new double[] {r.replicas(),
                r.cpuMicrosPerOutcall()}));
        return Fit.powerLaw(points);
    }

    /** Saturation throughput against n over the in-JVM subnets. */
    Fit throughputFit() {
        List<double[]> points = new ArrayList<>();
        rows.stream().filter(r -> r.transport().equals("in-JVM")).forEach(r -> points.add(new double[] {r.replicas(),
                r.saturationPerSecond()}));
        return Fit.powerLaw(points);
    }

    Optional<Row> hosts(int n) {
        return rows.stream().filter(r -> r.replicas() == n && r.transport().equals("hosts")).findFirst();
    }

    /** The targets, judged on this run ("not measured" where a figure is missing). */
    List<Target> targets() {
        List<Target> out = new ArrayList<>();
        for (int n : new int[] {4, 7, 13}) {
            Optional<Row> r = inJvm(n);
            out.add(new Target("in-JVM n = " + n + " throughput ≥ 25% of (baseline ÷ " + n + ")",
                    r.map(x -> String.format(Locale.ROOT, "%,.0f/s = %.0f%% of %,.0f/s", x.saturationPerSecond(),
                            100 * throughputRatio(x), baseline().saturationPerSecond() / n)).orElse("—"),
                    r.map(x -> throughputRatio(x) >= 0.25).orElse(null)));
        }
        for (int n : new int[] {4, 7, 13}) {
            Optional<Row> r = inJvm(n).filter(x -> !x.overloads().isEmpty());
            out.add(new Target("n = " + n + " sustains ≥ 90% of peak at 4× and 16× the best window",
                    r.map(x -> String.format(Locale.ROOT, "4×: %.0f%%, 16×: %.0f%% of %,.0f/s", 100 * x.sustainedRatio(4),
                            100 * x.sustainedRatio(16), x.saturationPerSecond())).orElse("—"),
                    r.map(x -> x.sustainedRatio(4) >= 0.9 && x.sustainedRatio(16) >= 0.9).orElse(null)));
        }
        Optional<Row> four = inJvm(4);
        Optional<Row> thirteen = inJvm(13);
        boolean both = four.isPresent() && thirteen.isPresent();
        out.add(new Target("CPU per outcall per replica at n = 13 ≤ 1.3 × n = 4 (in-JVM)", both
                ? String.format(Locale.ROOT, "%,.0f µs vs %,.0f µs: %.2f×", thirteen.get().cpuMicrosPerReplica(),
                        four.get().cpuMicrosPerReplica(), thirteen.get().cpuMicrosPerReplica() / four.get().cpuMicrosPerReplica())
                : "—", both ? thirteen.get().cpuMicrosPerReplica() <= 1.3 * four.get().cpuMicrosPerReplica() : null));
        Optional<Row> hosts4 = hosts(4);
        boolean hostsAndJvm = four.isPresent() && hosts4.isPresent();
        out.add(new Target("one JVM per replica over TCP, n = 4: throughput ≥ 80% of in-JVM n = 4", hostsAndJvm
                ? String.format(Locale.ROOT, "%,.0f/s = %.0f%% of %,.0f/s", hosts4.get().saturationPerSecond(),
                        100 * hosts4.get().saturationPerSecond() / four.get().saturationPerSecond(), four.get().saturationPerSecond())
                : "—", hostsAndJvm ? hosts4.get().saturationPerSecond() >= 0.8 * four.get().saturationPerSecond() : null));
        out.add(latency("n = 4 p50 ≤ 5 ms under light load", four, Row::lightP50, 5));
        out.add(latency("n = 13 p50 ≤ 10 ms under light load", thirteen, Row::lightP50, 10));
        out.add(latency("n = 4 p99 ≤ 50 ms under light load", four, Row::lightP99, 50));
        List<Row> subnets = rows.stream().filter(r -> r.replicas() > 1).toList();
        boolean heapMeasured = subnets.stream().anyMatch(r -> !Double.isNaN(r.heapBytesPerOutcall()));
        double worst = subnets.stream().mapToDouble(Row::heapBytesPerOutcallPerReplica).filter(d -> !Double.isNaN(d))
                .max().orElse(Double.NaN);
        out.add(new Target("≤ 16 KiB heap per in-flight outcall besides bodies (per replica)",
                heapMeasured ? String.format(Locale.ROOT, "at most %,.0f B per replica (%.0f%% of 16 KiB)", worst,
                        100 * worst / HEAP_TARGET_BYTES) : "—",
                heapMeasured ? worst <= HEAP_TARGET_BYTES : null));
        return out;
    }

    private static Target latency(String what, Optional<Row> row, java.util.function.ToDoubleFunction<Row> figure,
                                  double limitMillis) {
        return new Target(what, row.map(x -> String.format(Locale.ROOT, "%.2f ms (%.0f%% of %.0f ms)", figure.applyAsDouble(x),
                100 * figure.applyAsDouble(x) / limitMillis, limitMillis)).orElse("—"),
                row.map(x -> figure.applyAsDouble(x) <= limitMillis).orElse(null));
    }

    String summary() {
        StringBuilder s = new StringBuilder();
        s.append(machine.describe()).append('\n');
        s.append("origin: HTTPS (TLS 1.3, HTTP/1.1 keep-alive) on loopback in its own JVM, 1 KiB bodies; each replica and the "
                + "direct fetch use their own adapter (16 connections)\n");
        if (settings.quick()) {
            s.append("QUICK SMOKE RUN: phases of about a second; these numbers are not measurements\n");
        }
        s.append('\n');
        Row b = baseline();
        s.append(String.format(Locale.ROOT, "%-14s %4s %7s %10s %9s %8s %8s %8s %9s %8s %8s %9s %9s %9s %10s %11s%n", "target",
                "n", "window", "sat/s", "÷(base/n)", "blocks/s", "light50", "light99", "half/s", "half50", "half99", "CPU µs",
                "µs/rep", "÷(n·base)", "origin µs", "heap B/rep"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-14s %4d %7d %10.0f %9s %8s %8.2f %8.2f %9.0f %8.2f %8.2f %9.0f %9.0f %9s %10.0f %11s%n",
                    r.target(), r.replicas(), r.window(), r.saturationPerSecond(),
                    r == b ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * throughputRatio(r)),
                    r == b ? "" : String.format(Locale.ROOT, "%.0f", r.blocksPerSecond()), r.lightP50(), r.lightP99(),
                    r.halfRate(), r.halfP50(), r.halfP99(), r.cpuMicrosPerOutcall(), r.cpuMicrosPerReplica(),
                    r == b ? "" : String.format(Locale.ROOT, "%.2f", cpuRatio(r)), r.originCpuMicrosPerRequest(),
                    Double.isNaN(r.heapBytesPerOutcall()) ? "—" : String.format(Locale.ROOT, "%,.0f", r.heapBytesPerOutcallPerReplica())));
        }
        s.append("(latencies in ms: submit to the first replica's delivery; light = Poisson arrivals at ")
                .append(String.format(Locale.ROOT, "%.0f/s", b.lightRate()))
                .append(", half = Poisson at 50% of saturation; CPU µs per outcall of the replicas (this JVM less the load driver, "
                        + "or the replicas' own JVMs for hosts), origin excluded; µs/rep = that ÷ n, what one replica pays; "
                        + "origin µs = the origin's CPU per request it served; blocks/s at saturation)\n\n");
        s.append(overloads());
        s.append("ratios to the baseline (direct fetch):\n");
        for (Row r : rows) {
            if (r == b) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "  %-14s throughput %.4f× the direct fetch (%.0f%% of baseline ÷ %d); light-load p50 "
                            + "%.1f× and p99 %.1f× the direct fetch's; CPU per outcall %.1f× one direct fetch (%.2f× n fetches)%n",
                    r.target(), r.saturationPerSecond() / b.saturationPerSecond(), 100 * throughputRatio(r), r.replicas(),
                    r.lightP50() / b.lightP50(), r.lightP99() / b.lightP99(), r.cpuMicrosPerOutcall() / b.cpuMicrosPerOutcall(),
                    cpuRatio(r)));
        }
        s.append(signatureWork());
        Fit cpu = cpuFit();
        Fit tput = throughputFit();
        s.append('\n').append("growth with n (in-JVM; least squares on logarithms):\n");
        s.append(String.format(Locale.ROOT, "  CPU per outcall ≈ %.1f µs · n^%.2f (R² %.3f)%n", cpu.a(), cpu.b(), cpu.r2()));
        s.append(String.format(Locale.ROOT, "  saturation throughput ≈ %,.0f/s · n^%.2f (R² %.3f)%n", tput.a(), tput.b(), tput.r2()));
        s.append('\n').append("targets:\n");
        for (Target t : targets()) {
            s.append(String.format(Locale.ROOT, "  [%s] %s: %s%n", t.verdict(), t.what(), t.measured()));
        }
        long rejects = rows.stream().mapToLong(Row::rejects).sum();
        long refused = rows.stream().mapToLong(Row::refused).sum();
        s.append(String.format(Locale.ROOT, "%noutcalls that ended in a reject (subnet_busy apart): %d; submissions refused "
                + "outside the overload phases: %d%n", rejects, refused));
        return s.toString();
    }

    /**
     * The Ed25519 work per outcall, priced at this machine's speed: how much of the CPU per outcall
     * the signatures are, at saturation (blocks carry many outcalls) and under light load (one each).
     */
    private String signatureWork() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%nsignature work (Ed25519, all replicas together per "
                + "decided outcall, the load driver's own apart as its CPU is; one thread of this machine signs in %.1f µs and "
                + "checks in %.1f µs; checks that replicas sharing a JVM share are counted once, and one JVM checks none of the "
                + "signatures it made):%n", speed.signMicros(), speed.verifyMicros()));
        for (Row r : rows) {
            if (r.replicas() == 1) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "  %-14s at saturation %.1f made + %.1f checked ≈ %,.0f µs (%.0f%% of %,.0f µs CPU); "
                            + "light load %.1f made + %.1f checked ≈ %,.0f µs (%.0f%% of %,.0f µs CPU)%n", r.target(),
                    r.saturationSignatures().made(), r.saturationSignatures().checked(), r.saturationSignatures().micros(speed),
                    100 * r.saturationSignatures().micros(speed) / r.cpuMicrosPerOutcall(), r.cpuMicrosPerOutcall(),
                    r.lightSignatures().made(), r.lightSignatures().checked(), r.lightSignatures().micros(speed),
                    100 * r.lightSignatures().micros(speed) / r.lightCpuMicrosPerOutcall(), r.lightCpuMicrosPerOutcall()));
        }
        return s.toString();
    }

    /** The overload phases: sustained throughput over the peak, and how much was refused. */
    private String overloads() {
        StringBuilder s = new StringBuilder("sustained overload (the best window × 4 and × 16 in flight, a refused submission "
                + "tried again 1 ms later; decided outcalls per second, refusals apart):\n");
        for (Row r : rows) {
            if (r.overloads().isEmpty()) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "  %-14s", r.target()));
            for (Row.Overload o : r.overloads()) {
                s.append(String.format(Locale.ROOT, "  %d× (%,d in flight): %,.0f/s = %.0f%% of peak, %,.0f refused/s (%.0f%% of "
                        + "attempts);", o.factor(), o.window(), o.perSecond(), 100 * o.perSecond() / r.saturationPerSecond(),
                        o.refusedPerSecond(), 100 * o.refusedShare()));
            }
            s.append('\n');
        }
        return s.append('\n').toString();
    }

    String csv() {
        StringBuilder s = new StringBuilder();
        s.append("target,transport,replicas,faults_tolerated,window,saturation_per_s,throughput_vs_baseline_over_n,light_rate_per_s,"
                + "light_p50_ms,light_p99_ms,half_rate_per_s,half_p50_ms,half_p99_ms,cpu_us_per_outcall,cpu_vs_n_direct_fetches,"
                + "origin_cpu_us_per_request,blocks_per_s_at_saturation,outcalls_per_block,heap_outcalls,heap_bytes_per_inflight_outcall,"
                + "heap_bytes_per_inflight_outcall_per_replica,rejects,refused,cpu_us_per_outcall_per_replica");
        for (int f : BenchSettings.OVERLOAD_FACTORS) {
            s.append(String.format(Locale.ROOT, ",overload_%1$dx_window,overload_%1$dx_per_s,overload_%1$dx_vs_peak,"
                    + "overload_%1$dx_refused_per_s,overload_%1$dx_refused_share", f));
        }
        s.append(",ed25519_sign_us,ed25519_verify_us,signatures_made_per_outcall,signatures_checked_per_outcall,"
                + "light_cpu_us_per_outcall,light_signatures_made_per_outcall,light_signatures_checked_per_outcall");
        s.append('\n');
        Row b = baseline();
        for (Row r : rows) {
            s.append(String.join(",", r.target(), r.transport(), Integer.toString(r.replicas()), Integer.toString(r.faultsTolerated()),
                    Integer.toString(r.window()), num(r.saturationPerSecond(), 1), r == b ? "" : num(throughputRatio(r), 4),
                    num(r.lightRate(), 1), num(r.lightP50(), 3), num(r.lightP99(), 3), num(r.halfRate(), 1), num(r.halfP50(), 3),
                    num(r.halfP99(), 3), num(r.cpuMicrosPerOutcall(), 1), r == b ? "" : num(cpuRatio(r), 3),
                    num(r.originCpuMicrosPerRequest(), 1), num(r.blocksPerSecond(), 1), num(r.outcallsPerBlock(), 1),
                    Integer.toString(r.heapOutcalls()), num(r.heapBytesPerOutcall(), 0),
                    num(r.heapBytesPerOutcallPerReplica(), 0), Long.toString(r.rejects()), Long.toString(r.refused()),
                    num(r.cpuMicrosPerReplica(), 1)));
            for (int f : BenchSettings.OVERLOAD_FACTORS) {
                Optional<Row.Overload> o = r.overload(f);
                s.append(',').append(String.join(",", o.map(x -> Integer.toString(x.window())).orElse(""),
                        num(o.map(Row.Overload::perSecond).orElse(Double.NaN), 1), num(r.sustainedRatio(f), 4),
                        num(o.map(Row.Overload::refusedPerSecond).orElse(Double.NaN), 1),
                        num(o.map(Row.Overload::refusedShare).orElse(Double.NaN), 4)));
            }
            s.append(',').append(String.join(",", num(speed.signMicros(), 2), num(speed.verifyMicros(), 2),
                    num(r.saturationSignatures().made(), 2), num(r.saturationSignatures().checked(), 2),
                    num(r.lightCpuMicrosPerOutcall(), 1), num(r.lightSignatures().made(), 2),
                    num(r.lightSignatures().checked(), 2)));
            s.append('\n');
        }
        return s.toString();
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(CSV), csv(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SUMMARY), summary(), StandardCharsets.UTF_8);
        Chart.write(this, dir.resolve(PNG));
    }
}
