package org.outcalls.bench.internal;

import java.io.PrintStream;
import java.util.Map;

/** Runs the benchmark and maps its outcome to an exit code. */
public final class BenchMain {
    private BenchMain() {
    }

    public static int run(Map<String, String> options, PrintStream out, PrintStream err) {
        BenchSettings settings;
        try {
            settings = BenchSettings.of(options);
        } catch (IllegalArgumentException e) {
            err.println("outcalls bench: " + e.getMessage());
            return 2;
        }
        try {
            Report report = new BenchRunner(settings, out).run();
            out.println();
            out.print(report.summary());
            out.println("results: " + settings.out().resolve(Report.CSV) + ", " + settings.out().resolve(Report.PNG) + ", "
                    + settings.out().resolve(Report.SUMMARY));
            return report.complete() ? 0 : 1;
        } catch (Exception | LinkageError e) {
            err.println("outcalls bench failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** {@code [--quick] [--out DIR] [--sizes N,...] [--hosts N,...|none] [--no-tcp] [--profile]}; exits with {@link #run}'s code. */
    public static void main(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            switch (args[i]) {
                case "--quick" -> options.put("quick", "true");
                case "--profile" -> options.put("profile", "true");
                case "--no-tcp" -> options.put("tcp", "false");
                case "--out" -> options.put("out", hasValue ? args[++i] : "");
                case "--sizes" -> options.put("sizes", hasValue ? args[++i] : "");
                case "--hosts" -> options.put("hosts", hasValue ? args[++i] : "");
                default -> {
                    System.err.println("outcalls bench: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.exit(run(options, System.out, System.err));
    }
}
