package org.outcalls.bench.internal;

import org.outcalls.crypto.Ed25519Work;

/** What the load is driven against: the direct fetch, or a subnet making consented outcalls. */
interface Target extends AutoCloseable {
    /** For tables: "direct fetch", "in-JVM", "TCP+TLS", "hosts". */
    String transport();

    /** Whether each replica runs in a JVM of its own (and compiles the same code there). */
    default boolean jvmPerReplica() {
        return false;
    }

    /** Replicas (1 for the direct fetch). */
    int replicas();

    /** Blocks executed so far (by the first replica); 0 for the direct fetch. */
    long height();

    /** Starts one outcall of {@code url} tagged {@code tag}; false if the target refused it now (try again later). */
    boolean submit(long tag, String url);

    /**
     * CPU time the replicas have used so far, in nanoseconds: this JVM's (GC and JIT included) less
     * the load driver's thread; a target whose replicas run in JVMs of their own sums theirs.
     */
    default long cpuNanos(long driverThreadId) {
        return Meters.processCpuNanos() - Meters.threadCpuNanos(driverThreadId);
    }

    /** Ed25519 signatures the replicas have made and checked so far: this JVM's, or the sum over their JVMs. */
    default Ed25519Work ed25519Work() {
        return Ed25519Work.sinceStart();
    }

    /** Live heap of the replicas ({@link Meters#liveHeapBytes}): this JVM's, or the sum over their JVMs. */
    default long liveHeapBytes(int samples) {
        return Meters.liveHeapBytes(samples);
    }

    @Override
    void close();
}
