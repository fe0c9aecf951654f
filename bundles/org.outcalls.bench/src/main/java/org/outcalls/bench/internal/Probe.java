package org.outcalls.bench.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the benchmark learns that an outcall has finished: the benchmark canister on each replica
 * (or the direct fetch) reports each delivery here. This is a measuring probe outside replicated
 * state: it never changes what a replica computes. An outcall counts as finished at its first
 * delivery: the moment one replica has executed the block with its result, the earliest a client
 * could read it. Thread-safe; replicas report from their protocol threads.
 */
final class Probe implements Deliveries {
    private static final class Pending {
        final long startNanos;
        final Phase phase;
        final AtomicInteger deliveries = new AtomicInteger();

        Pending(long startNanos, Phase phase) {
            this.startNanos = startNanos;
            this.phase = phase;
        }
    }

    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong rejects = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<String> firstReject = new java.util.concurrent.atomic.AtomicReference<>();
    private volatile int deliveriesPerOutcall = 1;

    /** How many deliveries an outcall has (1 for a direct fetch, n for a subnet of n honest replicas). */
    void deliveriesPerOutcall(int n) {
        this.deliveriesPerOutcall = n;
    }

    /** Registers an outcall before it is submitted; {@code startNanos} is when it was due. */
    void started(long tag, long startNanos, Phase phase) {
        pending.put(tag, new Pending(startNanos, phase));
        phase.started();
    }

    /** The outcall was not submitted after all. */
    void cancelled(long tag) {
        Pending p = pending.remove(tag);
        if (p != null) {
            p.phase.cancelled();
        }
    }

    /**
     * A replica (or the direct fetch) delivered the outcall's result; {@code reject} describes a
     * reject, else null; {@code busy}: the reject is subnet_busy (refused, not failed).
     */
    @Override
    public void delivered(long tag, String reject, boolean busy) {
        long now = System.nanoTime();
        Pending p = pending.get(tag);
        if (p == null) {
            return;
        }
        int count = p.deliveries.incrementAndGet();
        if (count == 1) {
            finished.incrementAndGet();
            if (busy) {
                this.busy.incrementAndGet();
            } else if (reject != null) {
                rejects.incrementAndGet();
                firstReject.compareAndSet(null, reject);
            }
            p.phase.finished(now - p.startNanos, reject != null && !busy, busy);
        }
        if (count >= deliveriesPerOutcall) {
            pending.remove(tag);
        }
    }

    /** Outcalls finished (first delivery) since the start. */
    long finished() {
        return finished.get();
    }

    /** Outcalls that ended in a reject other than subnet_busy. */
    long rejects() {
        return rejects.get();
    }

    /** Outcalls refused as subnet_busy by http_request (admitted to a block, refused in execution). */
    long busy() {
        return busy.get();
    }

    /** The first reject seen, described, or null. */
    String firstReject() {
        return firstReject.get();
    }

    /** Outcalls registered and not yet delivered everywhere. */
    int pending() {
        return pending.size();
    }
}
