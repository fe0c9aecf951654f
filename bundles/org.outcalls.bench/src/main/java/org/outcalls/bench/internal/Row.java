package org.outcalls.bench.internal;

import java.util.List;
import java.util.Optional;

/**
 * One target's figures. Latencies in milliseconds, CPU in microseconds, heap in bytes; NaN where
 * not measured. {@code rejects}: outcalls that ended in a reject other than subnet_busy;
 * {@code refused}: submissions refused in the saturation and latency phases; {@code lightCpuMicrosPerOutcall}:
 * CPU per outcall under light load, where blocks carry one outcall's work each.
 */
record Row(String target, String transport, int replicas, int window, double saturationPerSecond, double lightRate,
           double lightP50, double lightP99, double halfRate, double halfP50, double halfP99, double cpuMicrosPerOutcall,
           double originCpuMicrosPerRequest, double blocksPerSecond, int heapOutcalls, double heapBytesPerOutcall,
           long rejects, long refused, List<Overload> overloads, double lightCpuMicrosPerOutcall,
           Signatures saturationSignatures, Signatures lightSignatures) {

    /** Ed25519 signatures made and checked per decided outcall, by all replicas together. */
    record Signatures(double made, double checked) {
        /** What they cost at this machine's speed of one thread. */
        double micros(Ed25519Speed speed) {
            return made * speed.signMicros() + checked * speed.verifyMicros();
        }
    }

    /**
     * A sustained overload: {@code factor} × the best window in flight (a refused submission is tried
     * again a millisecond later) for the overload phase's time.
     *
     * @param perSecond        outcalls decided per second (refusals are not counted)
     * @param refusedPerSecond submissions refused at the front replica plus http_requests refused as
     *                         subnet_busy in execution, per second
     * @param refusedShare     those refusals over all attempts
     */
    record Overload(int factor, int window, double perSecond, double refusedPerSecond, double refusedShare) {
    }

    Row {
        overloads = List.copyOf(overloads);
    }

    /** Outcalls per block at saturation (NaN for the direct fetch). */
    double outcallsPerBlock() {
        return blocksPerSecond > 0 ? saturationPerSecond / blocksPerSecond : Double.NaN;
    }

    int faultsTolerated() {
        return (replicas - 1) / 3;
    }

    /** CPU per outcall of one replica: what a host of a real subnet pays (all replicas' CPU ÷ n). */
    double cpuMicrosPerReplica() {
        return cpuMicrosPerOutcall / replicas;
    }

    double heapBytesPerOutcallPerReplica() {
        return heapBytesPerOutcall / replicas;
    }

    Optional<Overload> overload(int factor) {
        return overloads.stream().filter(o -> o.factor() == factor).findFirst();
    }

    /** Throughput sustained at {@code factor} × the best window over the peak (saturation at the best window); NaN if not run. */
    double sustainedRatio(int factor) {
        return overload(factor).map(o -> o.perSecond() / saturationPerSecond).orElse(Double.NaN);
    }
}
