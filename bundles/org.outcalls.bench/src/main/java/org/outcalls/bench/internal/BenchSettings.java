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
 * @param sizes          subnet sizes on the in-JVM transport
 * @param tcp            whether to add n = 4 over loopback TCP with TLS in this JVM
 * @param hosts          subnet sizes with each replica in a JVM of its own over TCP with TLS
 * @param classPath      the class path a child JVM (the origin, a replica) runs on
 * @param overloadMillis how long each overload phase (4× and 16× the best window) is measured
 * @param heapSamples    live-heap readings per heap figure (their median counts)
 */
record BenchSettings(boolean quick, Path out, List<Integer> sizes, boolean tcp, List<Integer> hosts, boolean profile,
                     String classPath, long warmupMillis, long phaseWarmupMillis, long searchStepMillis, long saturationMillis,
                     long overloadMillis, double lightRate, long lightMillis, long halfMillis, int heapOutcalls,
                     int heapSamples) {

    static final Set<String> KEYS = Set.of("quick", "out", "sizes", "tcp", "hosts", "profile", "classPath");
    /** The overload phases, as multiples of the best window. */
    static final List<Integer> OVERLOAD_FACTORS = List.of(4, 16);
    /**
     * Warm-up of a target whose replicas each run in a JVM of their own (full runs): each JVM compiles
     * the same code while all of them share the machine's cores, and on two cores a hosts n = 4
     * subnet's throughput still rose from 132/s to about 500/s over the minute after a 10 s warm-up.
     */
    static final long HOSTS_WARMUP_MILLIS = 60_000;

    static BenchSettings of(Map<String, String> options) {
        for (String k : options.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("bench: unknown option '" + k + "'; known: " + KEYS.stream().sorted().toList());
            }
        }
        boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        Path out = Path.of(options.getOrDefault("out", "outcalls-bench")).toAbsolutePath().normalize();
        List<Integer> sizes = sizes("--sizes", options.getOrDefault("sizes", "4,7,13"));
        // a smoke run starts the fewest JVMs that still show every figure
        List<Integer> hosts = sizes("--hosts", options.getOrDefault("hosts", quick ? "4" : "4,7"));
        boolean tcp = Boolean.parseBoolean(options.getOrDefault("tcp", "true"));
        boolean profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
        String classPath = options.getOrDefault("classPath", System.getProperty("java.class.path"));
        if (quick) {
            return new BenchSettings(true, out, sizes, tcp, hosts, profile, classPath, 300, 200, 0, 1_000, 1_000, 50,
                    1_000, 1_000, 50, 3);
        }
        return new BenchSettings(false, out, sizes, tcp, hosts, profile, classPath, 10_000, 1_000, 3_000, 10_000, 30_000,
                20, 30_000, 15_000, 1_000, 5);
    }

    /** How long a target is warmed up before it is measured ({@link Target#jvmPerReplica}: its replicas' JVMs are apart). */
    long warmupMillis(boolean jvmPerReplica) {
        return !quick && jvmPerReplica ? Math.max(warmupMillis, HOSTS_WARMUP_MILLIS) : warmupMillis;
    }

    /** A comma-separated list of subnet sizes ("none" or empty: none). */
    private static List<Integer> sizes(String option, String value) {
        List<Integer> sizes = new ArrayList<>();
        if (value.strip().equals("none")) {
            return List.of();
        }
        for (String s : value.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            int n;
            try {
                n = Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + s.strip() + "' is not a number of replicas");
            }
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException(option + ": " + n + " is not within 1..100");
            }
            sizes.add(n);
        }
        return List.copyOf(sizes);
    }
}
