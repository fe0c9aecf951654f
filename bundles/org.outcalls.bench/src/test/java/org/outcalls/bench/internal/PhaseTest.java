package org.outcalls.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class PhaseTest {
    @Test
    void quantilesAreNearestRank() {
        Phase p = new Phase(null);
        for (int i = 100; i >= 1; i--) {
            p.started();
            p.finished(i * 1_000_000L, false);
        }
        assertEquals(50e6, p.quantileNanos(0.5));
        assertEquals(99e6, p.quantileNanos(0.99));
        assertEquals(100e6, p.quantileNanos(1));
        assertEquals(1e6, p.quantileNanos(0));
        assertTrue(Double.isNaN(new Phase(null).quantileNanos(0.5)));
    }

    @Test
    void probeCountsTheFirstDeliveryOnceAndForgetsAfterTheLast() throws Exception {
        Semaphore window = new Semaphore(0);
        Phase phase = new Phase(window);
        Probe probe = new Probe();
        probe.deliveriesPerOutcall(4);
        probe.started(7, System.nanoTime(), phase);
        assertFalse(phase.drain(1_000_000));
        probe.delivered(7, null, false);
        probe.delivered(7, null, false);
        assertEquals(1, probe.finished());
        assertEquals(1, phase.finishedCount());
        assertEquals(1, window.availablePermits(), "a finished outcall frees its place in the window once");
        assertEquals(1, probe.pending());
        probe.delivered(7, null, false);
        probe.delivered(7, null, false);
        assertEquals(0, probe.pending());
        probe.delivered(7, "late", false);
        assertEquals(1, probe.finished());
        assertEquals(0, probe.rejects());
        assertTrue(phase.drain(1_000_000));
    }

    @Test
    void rejectsAreCountedWithTheFirstOneKept() {
        Phase phase = new Phase(null);
        Probe probe = new Probe();
        probe.started(1, System.nanoTime(), phase);
        probe.started(2, System.nanoTime(), phase);
        probe.delivered(1, "SYS_TRANSIENT timeout", false);
        probe.delivered(2, "SYS_FATAL other", false);
        assertEquals(2, probe.rejects());
        assertEquals(2, phase.rejects());
        assertEquals("SYS_TRANSIENT timeout", probe.firstReject());
    }

    @Test
    void aBusyRefusalFreesItsPlaceButIsNoLatencyAndNoReject() {
        Semaphore window = new Semaphore(0);
        Phase phase = new Phase(window);
        Probe probe = new Probe();
        probe.started(1, System.nanoTime(), phase);
        probe.started(2, System.nanoTime(), phase);
        probe.delivered(1, "SYS_TRANSIENT (subnet_busy): busy", true);
        probe.delivered(2, null, false);
        assertEquals(2, probe.finished());
        assertEquals(1, probe.busy());
        assertEquals(0, probe.rejects());
        assertEquals(1, phase.busy());
        assertEquals(1, phase.finishedCount(), "one latency sample: the decided outcall");
        assertEquals(2, window.availablePermits());
    }
}
