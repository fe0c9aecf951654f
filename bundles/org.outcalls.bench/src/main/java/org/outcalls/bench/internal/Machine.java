package org.outcalls.bench.internal;

import java.time.Instant;
import java.util.Locale;

/** The machine and the moment a run was made on, as the results file states them. */
record Machine(int cores, String cpu, long memoryBytes, String java, String os, long maxHeapBytes, Instant started,
               double loadAtStart, double loadAtEnd) {

    static Machine now() {
        return new Machine(Runtime.getRuntime().availableProcessors(), Meters.cpuModel(), Meters.totalMemoryBytes(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().maxMemory(), Instant.now(), Meters.loadAverage(), Double.NaN);
    }

    Machine withEndLoad(double load) {
        return new Machine(cores, cpu, memoryBytes, java, os, maxHeapBytes, started, loadAtStart, load);
    }

    String describe() {
        return String.format(Locale.ROOT, "machine: %d cores (%s), %.1f GiB RAM, %s, %s; heap max %d MiB; load average %.2f at "
                        + "start%s; %s", cores, cpu, memoryBytes / (double) (1L << 30), java, os, maxHeapBytes >> 20, loadAtStart,
                Double.isNaN(loadAtEnd) ? "" : String.format(Locale.ROOT, ", %.2f at end", loadAtEnd), started);
    }
}
