package org.outcalls.bench;

import java.io.PrintStream;
import java.util.Map;
import org.outcalls.bench.internal.BenchMain;

/**
 * {@code outcalls bench}: against one local HTTPS origin, in one run, a direct fetch through the
 * adapter's client and consented outcalls on subnets (in-JVM at the given sizes, and n = 4 over
 * loopback TCP with TLS): throughput at saturation, latency under light load and at half of
 * saturation, CPU per outcall, heap per in-flight outcall; a CSV, a PNG chart and a summary with
 * ratios to the direct fetch. See {@code docs/PERFORMANCE.md}.
 */
public final class Bench {
    private Bench() {
    }

    /**
     * Runs the benchmark. Options (all optional): {@code quick} ("true": the smoke run),
     * {@code out} (results folder), {@code sizes} (comma-separated n for the in-JVM subnets, default
     * "4,7,13"), {@code tcp} ("false" leaves out n = 4 over TCP), {@code profile} ("true": a JFR
     * recording of the run in the results folder), {@code classPath} (for the origin's JVM; default
     * this JVM's).
     *
     * @return 0 when every target produced its figures, 1 when the run failed, 2 for a bad option
     */
    public static int run(Map<String, String> options, PrintStream out, PrintStream err) {
        return BenchMain.run(options, out, err);
    }

    /**
     * The command line {@code outcalls bench} starts in a JVM of its own:
     * {@code [--quick] [--out DIR] [--sizes N,...] [--no-tcp] [--profile]}; exits with {@link #run}'s code.
     */
    public static void main(String[] args) {
        BenchMain.main(args);
    }
}
