package org.outcalls.bench.internal;

/**
 * One target's figures. Latencies in milliseconds, CPU in microseconds, heap in bytes; NaN where
 * not measured.
 */
record Row(String target, String transport, int replicas, int window, double saturationPerSecond, double lightRate,
           double lightP50, double lightP99, double halfRate, double halfP50, double halfP99, double cpuMicrosPerOutcall,
           double originCpuMicrosPerRequest, int heapOutcalls, double heapBytesPerOutcall, long rejects, long refused) {

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
