package org.outcalls.consensus.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/** The counters behind {@link org.outcalls.consensus.ConsensusMetrics}; written on the protocol thread, read from any. */
final class Counters {
    static final int PROPOSED = 0;
    static final int EQUIVOCATIONS = 1;
    static final int INVALID = 2;
    static final int UNDECODABLE = 3;
    static final int RETRANSMISSIONS = 4;
    static final int CATCH_UPS = 5;
    static final int REQUESTS = 6;

    private final AtomicLongArray values = new AtomicLongArray(7);

    void count(int counter) {
        values.incrementAndGet(counter);
    }

    long get(int counter) {
        return values.get(counter);
    }
}
