package org.outcalls.replica.internal.diag;

import java.util.ArrayDeque;

/** Heights executed per second over a sliding window, fed after each executed height. Thread-safe. */
public final class BlockRate {
    private final long windowNanos;
    private final ArrayDeque<Long> times = new ArrayDeque<>();
    private final long startedNanos = System.nanoTime();

    public BlockRate(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    public synchronized void executed() {
        long now = System.nanoTime();
        times.addLast(now);
        trim(now);
    }

    /** Heights per second over the window (or since start, if that is shorter). */
    public synchronized double perSecond() {
        long now = System.nanoTime();
        trim(now);
        long span = Math.min(windowNanos, now - startedNanos);
        return span <= 0 ? 0 : times.size() / (span / 1e9);
    }

    private void trim(long now) {
        while (!times.isEmpty() && now - times.peekFirst() > windowNanos) {
            times.removeFirst();
        }
    }
}
