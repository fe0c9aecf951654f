package org.outcalls.bench.internal;

import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * The outcalls started in one measuring phase: their latencies (submit to first delivery), how
 * many are still out, how many ended in a reject, and how many were refused as subnet_busy in
 * execution (no latency sample: they were not decided). Thread-safe.
 */
final class Phase {
    private long[] latencies = new long[1024];
    private int count;
    private int outstanding;
    private long rejects;
    private long busy;
    private final Semaphore window;

    /** @param window permits released as outcalls finish (closed loop), or null */
    Phase(Semaphore window) {
        this.window = window;
    }

    synchronized void started() {
        outstanding++;
    }

    synchronized void cancelled() {
        outstanding--;
        notifyAll();
    }

    void finished(long latencyNanos, boolean reject) {
        finished(latencyNanos, reject, false);
    }

    /** @param busy refused as subnet_busy in execution: counted apart, not a latency sample */
    void finished(long latencyNanos, boolean reject, boolean busy) {
        synchronized (this) {
            outstanding--;
            if (busy) {
                this.busy++;
            } else {
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = latencyNanos;
            }
            if (reject) {
                rejects++;
            }
            notifyAll();
        }
        if (window != null) {
            window.release();
        }
    }

    /** Waits until every outcall of this phase has finished; false if some are still out at the deadline. */
    synchronized boolean drain(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (outstanding > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized int finishedCount() {
        return count;
    }

    synchronized int outstanding() {
        return outstanding;
    }

    synchronized long rejects() {
        return rejects;
    }

    synchronized long busy() {
        return busy;
    }

    /** The latency at quantile q (0..1) in nanoseconds, nearest rank; NaN without samples. */
    synchronized double quantileNanos(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * count);
        return sorted[Math.min(count, Math.max(1, rank)) - 1];
    }
}
