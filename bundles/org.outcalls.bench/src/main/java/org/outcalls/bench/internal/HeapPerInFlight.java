package org.outcalls.bench.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap held per outcall in flight: {@code count} outcalls whose fetch the origin answers at once for
 * n − f − 1 replicas and holds for the others, so every replica has the request context and
 * n − f − 1 signed shares, one fewer than agreement needs, and f + 1 replicas wait for the origin.
 *
 * <p>Method: live heap of the replicas ({@link Target#liveHeapBytes}: the median of several readings,
 * each after full collections until the heap stops falling) before the outcalls are submitted, with
 * them held, and after they were released and drained; per outcall = (held − the lower of before and
 * after) ÷ {@code count}, never below 0. Taking the lower baseline keeps what the run itself left
 * behind between the readings (caches filling, a previous phase's garbage) from making the figure
 * negative, as one reading before and one after did (−508 B once). Bodies are 16 bytes. NaN if some
 * outcall ended before the measurement.
 *
 * <p>Held outcalls never decide, so a subnet admits only as many as its admission window (256 at
 * first): submitting stops at the first refusal and the figure is per outcall actually held. Waiting
 * for room instead would outlast the held fetches' 30 s timeout, and each timed-out fetch would end
 * its outcall (no consensus between the answered and the timed-out shares) while the reading runs.
 */
final class HeapPerInFlight {
    private final Target target;
    private final Probe probe;
    private final OriginProcess origin;
    private final AtomicLong tags;
    private final BenchSettings settings;

    HeapPerInFlight(Target target, Probe probe, OriginProcess origin, AtomicLong tags, BenchSettings settings) {
        this.target = target;
        this.probe = probe;
        this.origin = origin;
        this.tags = tags;
        this.settings = settings;
    }

    /** Outcalls held during the reading, and the heap each held (NaN if not measured). */
    record Reading(int held, double bytesPerOutcall) {
    }

    Reading measure() throws Exception {
        int samples = settings.heapSamples();
        int n = target.replicas();
        int answering = n == 1 ? 0 : n - (n - 1) / 3 - 1;
        String url = origin.url("/hold?answer=" + answering + "&size=16");
        origin.hold();
        long requests0 = origin.stats()[0];
        long before = target.liveHeapBytes(samples);
        Phase phase = new Phase(null);
        int count = 0;
        while (count < settings.heapOutcalls()) {
            long tag = tags.incrementAndGet();
            probe.started(tag, System.nanoTime(), phase);
            if (!target.submit(tag, url)) {
                probe.cancelled(tag);
                break;
            }
            count++;
        }
        if (count == 0) {
            origin.release();
            return new Reading(0, Double.NaN);
        }
        awaitFetched((long) count * answering, requests0);
        long held = target.liveHeapBytes(samples);
        boolean allInFlight = phase.finishedCount() == 0;
        origin.release();
        phase.drain(TimeUnit.SECONDS.toNanos(90));
        origin.hold();
        long after = target.liveHeapBytes(samples);
        return new Reading(count, allInFlight ? Math.max(0, (double) (held - Math.min(before, after)) / count) : Double.NaN);
    }

    /** Until every answering replica has fetched every outcall and the count of requests is stable. */
    private void awaitFetched(long expected, long requests0) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long seen = -1;
        long stableSince = System.nanoTime();
        long stable = (settings.quick() ? 200 : 500) * 1_000_000L;
        while (System.nanoTime() < deadline) {
            long now = origin.stats()[0] - requests0;
            if (now != seen) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (now >= expected && System.nanoTime() - stableSince > stable) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
