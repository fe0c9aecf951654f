package org.outcalls.replica.internal.ingress;

/**
 * What this replica's latest executed state says about request contexts: its height, how many
 * contexts are open and how many may be ({@code SubnetRegistry.maxOpenContexts}). Local: block
 * making and the ingress gate read it to take in no more than the subnet can open; validation
 * never does. Thread-safe (one immutable snapshot, replaced after each executed block).
 */
public final class OpenContexts {
    private record Snapshot(long height, int open, int limit) {
    }

    private volatile Snapshot now;

    public OpenContexts(long height, int open, int limit) {
        this.now = new Snapshot(height, open, limit);
    }

    /** After executing the block at {@code height}. */
    public void executed(long height, int open, int limit) {
        now = new Snapshot(height, open, limit);
    }

    public long height() {
        return now.height();
    }

    public int open() {
        return now.open();
    }

    public int limit() {
        return now.limit();
    }

    /** Contexts that may still be opened at the executed height (0 when full). */
    public int room() {
        Snapshot s = now;
        return Math.max(0, s.limit() - s.open());
    }
}
