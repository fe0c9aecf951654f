package org.outcalls.adapter.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of response bodies the adapter holds right now, and the most it ever held: the
 * figure behind "bounded memory", checked by the load test and logged by the benchmark.
 */
final class BufferAccounting {
    private final AtomicLong current = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();

    void add(long delta) {
        long now = current.addAndGet(delta);
        highWater.accumulateAndGet(now, Math::max);
    }

    long current() {
        return current.get();
    }

    long highWater() {
        return highWater.get();
    }

    void resetHighWater() {
        highWater.set(current.get());
    }
}
