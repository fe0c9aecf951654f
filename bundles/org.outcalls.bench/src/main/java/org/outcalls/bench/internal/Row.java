package org.outcalls.bench.internal;

/**
 * One target's figures. Latencies in milliseconds, CPU in microseconds, heap in bytes; NaN where
 * not measured.
 */
record Row(String target, String transport, int replicas, int window, double saturationPerSecond, double lightRate,
           double lightP50, double lightP99, double halfRate, double halfP50, double halfP99, double cpuMicrosPerOutcall,
           double originCpuMicrosPerRequest, double blocksPerSecond, int heapOutcalls, double heapBytesPerOutcall,
           long rejects, long refused) {

    /** Outcalls per block at saturation (NaN for the direct fetch). */
    double outcallsPerBlock() {
        return blocksPerSecond > 0 ? saturationPerSecond / blocksPerSecond : Double.NaN;
    }

    int faultsTolerated() {
        return (replicas - 1) / 3;
    }

    double cpuMicrosPerReplica() {
        return cpuMicrosPerOutcall / replicas;
    }

    double heapBytesPerOutcallPerReplica() {
        return heapBytesPerOutcall / replicas;
    }
}
