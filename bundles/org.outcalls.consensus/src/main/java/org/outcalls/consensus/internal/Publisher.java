package org.outcalls.consensus.internal;

import org.outcalls.consensus.Block;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;

/**
 * This replica's own artifacts: signs them, has the store keep each before anyone can see it (a
 * restarted replica must not contradict it), sends it, and records it as validated, so its own
 * shares count like everyone else's.
 */
public final class Publisher {
    private final ConsensusState state;
    private final Channel out;
    /** Null when nothing is persisted (one JVM, tests). */
    private final ConsensusStore store;

    Publisher(ConsensusState state, Channel out, ConsensusStore store) {
        this.state = state;
        this.out = out;
        this.store = store;
    }

    /** Where this replica's frames go (a fault mode may have replaced the channel). */
    public Channel out() {
        return out;
    }

    /** This replica's signed proposal of {@code block}. */
    public Proposal sign(Block block) {
        Hash hash = block.hash();
        byte[] sig = state.params.key().sign(Domain.BLOCK_PROPOSAL,
                Wire.proposalBody(state.params.subnetId(), block.height(), hash));
        return Wire.proposal(block, hash, sig);
    }

    /** An own artifact is on disk before anyone can see it. */
    public void persist(Signed a) {
        if (store != null) {
            store.signed(a.height(), a.frame());
        }
    }

    /** Records an own artifact as validated (and for retransmission); it must have been persisted. */
    public void record(Signed a) {
        state.heightState(a.height()).mine.add(a);
        state.pool.addValidated(a);
        state.add(a);
    }

    /** Signs, keeps, broadcasts and records a notarization or finalization share of {@code hash} at {@code height}. */
    void share(int type, long height, Hash hash) {
        Params p = state.params;
        byte[] sig = p.key().sign(Wire.shareDomain(type), Wire.shareBody(type, p.subnetId(), height, hash));
        Share s = Wire.share(type, height, hash, state.committee(height).self(), sig);
        persist(s);
        out.broadcast(s.frame());
        record(s);
    }
}
