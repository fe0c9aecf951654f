package org.outcalls.consensus.internal;

import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer that sends more than {@link #INVALID_PER_PERIOD} invalid or undecodable artifacts in a
 * retransmission period is ignored for a period.
 */
final class PeerGuard {
    private static final Logger LOG = LoggerFactory.getLogger(PeerGuard.class);

    /** Invalid artifacts a peer may send per retransmission period before it is ignored for one. */
    static final int INVALID_PER_PERIOD = 256;

    private final int self;
    private final long period;
    private final int[] invalidCount;
    private final long[] quarantineUntil;
    private long periodStart;

    PeerGuard(Params params) {
        this.self = params.self();
        this.period = params.period();
        this.invalidCount = new int[params.capacity()];
        this.quarantineUntil = new long[params.capacity()];
    }

    /** The first period starts {@code now}. */
    void start(long now) {
        periodStart = now;
    }

    /** Starts a new period (every peer's count back to zero) if the current one is over. */
    void tick(long now) {
        if (now - periodStart >= period) {
            periodStart = now;
            Arrays.fill(invalidCount, 0);
        }
    }

    /** Whether frames from {@code peer} are ignored now. */
    boolean ignored(int peer, long now) {
        return quarantineUntil[peer] > now;
    }

    /** {@code peer} sent something invalid or undecodable. */
    void penalize(int peer, long now) {
        if (++invalidCount[peer] > INVALID_PER_PERIOD && quarantineUntil[peer] <= now) {
            quarantineUntil[peer] = now + period;
            LOG.warn("replica {}: peer {} sent more than {} invalid artifacts: ignoring it for {} ms", self, peer,
                    INVALID_PER_PERIOD, Duration.ofNanos(period).toMillis());
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(quarantineUntil);
    }
}
