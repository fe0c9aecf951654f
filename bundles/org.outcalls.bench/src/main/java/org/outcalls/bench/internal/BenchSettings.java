package org.outcalls.bench.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run does. Durations are per target; {@code quick} is the smoke run the test
 * suite makes (seconds in all, numbers without meaning).
 *
 * @param sizes     subnet sizes on the in-JVM transport
 * @param tcp       whether to add n = 4 over loopback TCP with TLS
 * @param classPath the class path a child JVM (the origin) runs on
 */
record BenchSettings(boolean quick, Path out, List<Integer> sizes, boolean tcp, boolean profile, String classPath,
                     long warmupMillis, long phaseWarmupMillis, long searchStepMillis, long saturationMillis, double lightRate,
                     long lightMillis, long halfMillis, int heapOutcalls) {

    static final Set<String> KEYS = Set.of("quick", "out", "sizes", "tcp", "profile", "classPath");

    static BenchSettings of(Map<String, String> options) {
        for (String k : options.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("bench: unknown option '" + k + "'; known: " + KEYS.stream().sorted().toList());
            }
        }
        boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        Path out = Path.of(options.getOrDefault("out", "outcalls-bench")).toAbsolutePath().normalize();
        List<Integer> sizes = new ArrayList<>();
        for (String s : options.getOrDefault("sizes", "4,7,13").split(",")) {
            if (s.isBlank()) {
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sizes: '" + s.strip() + "' is not a number of replicas");
            }
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException("--sizes: " + n + " is not within 1..100");
            }
            sizes.add(n);
        }
        boolean tcp = Boolean.parseBoolean(options.getOrDefault("tcp", "true"));
        boolean profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
        String classPath = options.getOrDefault("classPath", System.getProperty("java.class.path"));
        if (quick) {
            return new BenchSettings(true, out, List.copyOf(sizes), tcp, profile, classPath, 300, 200, 0, 1_000, 50, 1_000,
                    1_000, 50);
        }
        return new BenchSettings(false, out, List.copyOf(sizes), tcp, profile, classPath, 10_000, 1_000, 3_000, 10_000, 20,
                30_000, 15_000, 1_000);
    }
}
