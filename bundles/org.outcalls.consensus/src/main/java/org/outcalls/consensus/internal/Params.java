package org.outcalls.consensus.internal;

import java.util.List;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

/**
 * One replica's consensus configuration as the roles use it: sizes, keys and timers in
 * nanoseconds, read once from the {@link ConsensusConfig}.
 *
 * <p>{@code n}, {@code f}, {@code threshold} and {@code members} are the initial committee's; the
 * committee at a height is {@link ConsensusState#committee(long)}'s.
 *
 * @param period the retransmission period {@code P = 2 · (heartbeat + 2 · (f + 1) · Δ)}: longer
 *               than an honest round can take with f makers down
 */
record Params(ConsensusConfig config, int n, int self, int f, int threshold, byte[] subnetId,
        List<PublicKey> members, NodeKey key, long rankDelay, long heartbeat, long tolerance, long period) {
    /**
     * Member indices peers may have (per-peer state is sized by it): the initial members, or up to
     * {@link #MAX_MEMBERS} when the membership may grow.
     */
    static final int MAX_MEMBERS = 64;

    int capacity() {
        return Math.max(n, MAX_MEMBERS);
    }


    static Params of(ConsensusConfig config) {
        long rankDelay = config.rankDelay().toNanos();
        long heartbeat = config.heartbeat().toNanos();
        return new Params(config, config.n(), config.self(), config.f(), config.threshold(), config.subnetId(),
                config.members(), config.key(), rankDelay, heartbeat, config.clockTolerance().toNanos(),
                2 * (heartbeat + (long) (config.f() + 1) * rankDelay * 2));
    }

    int ancestryDepth() {
        return config.ancestryDepth();
    }
}
