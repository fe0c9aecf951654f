package org.outcalls.consensus.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.ConsensusListener;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.FinalityProof;
import org.outcalls.consensus.FinalizedBlock;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalization (the IC's finalizer): finalization-shares the one notarized block of a height if
 * that is all this replica notarization-shared there, and extends the finalized chain when a
 * finalized block and its ancestors are known: stores each height, appends it, delivers it to the
 * listener with its proof, and has the purger drop what lies below.
 */
public final class Finalizer {
    private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

    private final ConsensusState state;
    private final Publisher publisher;
    private final Purger purger;
    private final Retransmission retransmission;
    private final ConsensusListener listener;
    /** Null when nothing is persisted. */
    private final ConsensusStore store;
    private final Clock clock;

    Finalizer(ConsensusState state, Publisher publisher, Purger purger, Retransmission retransmission,
            ConsensusListener listener, ConsensusStore store, Clock clock) {
        this.state = state;
        this.publisher = publisher;
        this.purger = purger;
        this.retransmission = retransmission;
        this.listener = listener;
        this.store = store;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ finalization shares

    /** Lets {@code behaviour} finalization-share at every unfinalized height up to the notarized one. */
    boolean shareAll(Behaviour behaviour) {
        boolean progress = false;
        for (long h = state.finalizedHeight() + 1; h <= state.notarizedHeight(); h++) {
            if (state.at(h) != null) {
                progress |= behaviour.finalizationShares(this, h);
            }
        }
        return progress;
    }

    /** ICC: finalization-share the one notarized block at {@code height} if that is all this replica notarization-shared there. */
    boolean shareIfOnlyNotarized(long height) {
        Hash b = decide(height);
        Committee c = state.committee(height);
        if (b == null || c == null || !c.member()) {
            return false;
        }
        state.at(height).myFinalizationShares.add(b);
        publisher.share(Wire.FINALIZATION_SHARE, height, b);
        return true;
    }

    /**
     * Decides, once, when the first block at {@code height} is notarized here: the block to
     * finalization-share if it is the only notarized one and this replica notarization-shared no
     * other block there; null if there is none (or nothing is notarized yet, or it decided before).
     */
    public Hash decide(long height) {
        HeightState hs = state.at(height);
        List<Proposal> notarized = hs.notarizedBlocks();
        if (hs.finalizationShareDecided || notarized.isEmpty()) {
            return null;
        }
        hs.finalizationShareDecided = true;
        if (notarized.size() != 1) {
            return null; // two notarized blocks: this height cannot be finalized directly
        }
        Hash b = notarized.get(0).hash();
        if (hs.myNotarizationShares.isEmpty()
                || (hs.myNotarizationShares.size() == 1 && hs.myNotarizationShares.contains(b))) {
            return b;
        }
        return null;
    }

    /** The validated, notarized blocks at {@code height}, in arrival order. */
    public List<Hash> notarizedBlocks(long height) {
        List<Hash> out = new ArrayList<>();
        for (Proposal p : state.at(height).notarizedBlocks()) {
            out.add(p.hash());
        }
        return out;
    }

    /** Finalization-shares the block {@code hash} at {@code height} unless it did before; whether it did now. */
    public boolean share(long height, Hash hash) {
        Committee c = state.committee(height);
        if (c == null || !c.member() || !state.at(height).myFinalizationShares.add(hash)) {
            return false;
        }
        publisher.share(Wire.FINALIZATION_SHARE, height, hash);
        return true;
    }

    // ------------------------------------------------------------------ finalizing the chain

    /** Finalizes up to the highest finalized block this replica has; whether it found one. */
    boolean finalizeNext() {
        for (long h = state.notarizedHeight(); h > state.finalizedHeight(); h--) {
            HeightState hs = state.at(h);
            if (hs == null) {
                continue;
            }
            for (Hash hash : hs.finalizations.keySet()) {
                if (hs.proposals.containsKey(hash)) {
                    finalizeUpTo(h, hash);
                    return true;
                }
            }
        }
        return false;
    }

    private void finalizeUpTo(long height, Hash hash) {
        ChainStore chain = state.chain;
        List<Proposal> path = new ArrayList<>();
        Hash cur = hash;
        for (long h = height; h > chain.height(); h--) {
            HeightState hs = state.at(h);
            Proposal p = hs == null ? null : hs.proposals.get(cur);
            if (p == null) {
                LOG.error("replica {}: ancestor {} at height {} of finalized block {} is missing", state.params.self(),
                        cur, h, hash);
                return;
            }
            path.add(p);
            cur = p.block().parent();
        }
        if (!cur.equals(chain.tip().hash())) {
            // Two different finalized chains: impossible with at most f faulty replicas.
            state.halted = true;
            LOG.error("replica {}: SAFETY VIOLATION: block {} at height {} is finalized but does not extend the "
                    + "finalized block {} at height {}; more than f={} replicas must be faulty. Consensus halts.",
                    state.params.self(), hash, height, chain.tip().hash(), chain.height(), state.params.f());
            return;
        }
        Collections.reverse(path);
        Aggregate top = state.at(height).finalizations.get(hash);
        for (Proposal p : path) {
            deliver(p, top);
        }
        long fin = chain.height();
        purger.purge();
        if (state.notarizedHeight() < fin) {
            state.setNotarizedHeight(fin);
        }
        HeightState next = state.heightState(state.notarizedHeight() + 1);
        if (next.roundStart < 0) {
            next.roundStart = clock.nanos();
        }
        retransmission.finalizationMoved(clock.nanos());
        state.epoch++;
        LOG.debug("replica {}: finalized height {}", state.params.self(), fin);
    }

    /** Stores, appends and delivers one finalized block; {@code top} finalized it if it has no finalization of its own. */
    private void deliver(Proposal p, Aggregate top) {
        HeightState hs = state.at(p.height());
        Aggregate own = hs.finalizations.get(p.hash());
        Aggregate notarization = hs.notarizations.get(p.hash());
        if (store != null) {
            store.finalized(new ArchivedHeight(p.height(), p.hash(), p.frame(),
                    notarization == null ? null : notarization.frame(), own == null ? null : own.frame()));
        }
        state.chain.append(p, notarization, own);
        state.setFinalized(p.height(), p.hash());
        FinalityProof proof = (own != null ? own : top).proof();
        try {
            listener.onFinalized(new FinalizedBlock(p.block(), proof.encode()));
        } catch (RuntimeException e) {
            LOG.error("replica {}: the consensus listener failed on height {}", state.params.self(), p.height(), e);
        }
    }
}
