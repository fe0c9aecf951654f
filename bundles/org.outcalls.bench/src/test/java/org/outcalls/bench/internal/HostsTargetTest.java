package org.outcalls.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four replicas, each in a JVM of its own over TCP with TLS, against the benchmark's origin: an
 * outcall submitted to replica 0 is delivered on every replica, and the replicas' CPU, heap and
 * height are read from their JVMs.
 */
class HostsTargetTest {
    @TempDir
    Path dir;

    @Test
    void anOutcallIsAgreedAcrossFourJvmsAndEveryReplicaReportsIt() throws Exception {
        String classPath = System.getProperty("java.class.path");
        Probe probe = new Probe();
        try (OriginProcess origin = OriginProcess.start(classPath, dir.resolve("origin.log"));
             HostsTarget target = new HostsTarget(classPath, origin.caPem(), 4, probe, dir)) {
            assertEquals(4, target.replicas());
            Phase phase = new Phase(null);
            for (long tag = 1; tag <= 3; tag++) {
                probe.started(tag, System.nanoTime(), phase);
                while (!target.submit(tag, origin.url("/data?size=100"))) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (probe.pending() > 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertEquals(0, probe.pending(), "every outcall delivered on every replica");
            assertEquals(3, probe.finished());
            assertEquals(0, probe.rejects(), String.valueOf(probe.firstReject()));
            assertTrue(target.height() > 0);
            assertTrue(target.cpuNanos(Thread.currentThread().getId()) > 0);
            assertTrue(target.liveHeapBytes(1) > 4 * 1_000_000L, "four JVMs' live heaps together");
        }
    }
}
