package org.outcalls.consensus.internal;

import java.util.ArrayList;
import java.util.List;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Clock;

/**
 * Notarization shares (the IC's notary): in the round at height {@code h}, share the
 * lowest-ranked valid block of a maker that is not disqualified, once its rank delay has passed
 * since the round started. A better block arriving later is shared too; a block this replica
 * could not check itself is never shared.
 */
public final class Notary {
    private final ConsensusState state;
    private final Publisher publisher;
    private final Clock clock;

    Notary(ConsensusState state, Publisher publisher, Clock clock) {
        this.state = state;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** ICC: notarization-share the lowest-ranked valid block of the round at {@code height} once its rank delay passed. */
    boolean shareBest(long height) {
        HeightState hs = state.heightState(height);
        List<Proposal> candidates = hs.rankedCandidates();
        Committee c = state.committee(height);
        if (candidates.isEmpty() || c == null || !c.member()) {
            return false;
        }
        Proposal best = candidates.get(0);
        if (hs.myNotarizationShares.contains(best.hash())) {
            return false;
        }
        long at = hs.roundStart + state.delay(best.rank());
        if (clock.nanos() < at) {
            state.due(at);
            return false;
        }
        return share(height, best.hash());
    }

    /** The validated blocks at {@code height}, in arrival order. */
    public List<Hash> blocks(long height) {
        return new ArrayList<>(state.heightState(height).proposals.keySet());
    }

    /** Notarization-shares the block {@code hash} at {@code height} unless it did before; whether it did now. */
    public boolean share(long height, Hash hash) {
        Committee c = state.committee(height);
        if (c == null || !c.member() || !state.heightState(height).myNotarizationShares.add(hash)) {
            return false;
        }
        publisher.share(Wire.NOTARIZATION_SHARE, height, hash);
        return true;
    }
}
