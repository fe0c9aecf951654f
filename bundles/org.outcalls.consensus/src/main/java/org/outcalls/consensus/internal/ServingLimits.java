package org.outcalls.consensus.internal;

import java.time.Duration;
import org.outcalls.transport.ServingBudget;

/**
 * How much one peer may have this replica send it in answer to its status (catch-up) and block
 * requests, in terms of the retransmission period {@code P}: a burst of 32 MiB and 512 replies,
 * refilled at that much per {@code P}; the same block request is answered once per {@code P / 4}
 * (an honest replica asks again only after {@code P / 2}); catch-up is answered at most every
 * {@code P / 8} by the engine itself.
 */
final class ServingLimits {
    /** Bytes per period: room for four full catch-up responses. */
    static final long BYTES_PER_PERIOD = 32L * 1024 * 1024;
    /** Replies per period: a replica behind by a whole admission window may ask for a block per height. */
    static final int REPLIES_PER_PERIOD = 2 * ConsensusEngine.WINDOW;

    private ServingLimits() {
    }

    static ServingBudget.Limits of(long periodNanos) {
        double periodsPerSecond = 1e9 / periodNanos;
        return new ServingBudget.Limits(BYTES_PER_PERIOD, Math.max(1, (long) (BYTES_PER_PERIOD * periodsPerSecond)),
                REPLIES_PER_PERIOD, Math.max(1, (int) (REPLIES_PER_PERIOD * periodsPerSecond)),
                Duration.ofNanos(periodNanos / 4), 4 * ConsensusEngine.WINDOW);
    }
}
