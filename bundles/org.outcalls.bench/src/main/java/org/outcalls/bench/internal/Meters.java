package org.outcalls.bench.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and live heap of this JVM. */
final class Meters {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Meters() {
    }

    /** CPU time this process has used (all threads, GC and JIT included), in nanoseconds. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** CPU time of one thread of this process, in nanoseconds (0 if it ended or the JVM cannot tell). */
    static long threadCpuNanos(long threadId) {
        long t = THREADS.getThreadCpuTime(threadId);
        return Math.max(0, t);
    }

    /**
     * Live heap now, in bytes: the median of {@code samples} readings, each taken after full
     * collections repeated (at most five) until the heap in use stops falling by more than 1 %. One
     * reading can catch a collection that freed less than usual, or garbage made between two
     * collections; the median of several does not move with one such reading.
     */
    static long liveHeapBytes(int samples) {
        long[] readings = new long[Math.max(1, samples)];
        for (int i = 0; i < readings.length; i++) {
            readings[i] = collectedHeapBytes();
        }
        java.util.Arrays.sort(readings);
        return readings[(readings.length - 1) / 2];
    }

    private static long collectedHeapBytes() {
        var memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        for (int i = 0; i < 4; i++) {
            memory.gc();
            long next = memory.getHeapMemoryUsage().getUsed();
            boolean stable = next > used - used / 100;
            used = Math.min(used, next);
            if (stable) {
                break;
            }
        }
        return used;
    }

    /** The 1-minute load average, or NaN where the platform does not say. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

    static long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
