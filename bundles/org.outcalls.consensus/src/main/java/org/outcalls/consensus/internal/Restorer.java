package org.outcalls.consensus.internal;

import java.util.ArrayList;
import java.util.List;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Msg;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart: the finalized chain resumes at the store's newest height, and what this
 * replica signed above it is known again, so it neither proposes twice at a height nor signs a
 * finalization share that contradicts a notarization share it sent before the restart.
 */
final class Restorer {
    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);

    private final ConsensusState state;
    private final ConsensusStore store;
    private final Purger purger;

    Restorer(ConsensusState state, ConsensusStore store, Purger purger) {
        this.state = state;
        this.store = store;
        this.purger = purger;
    }

    void restore() {
        int self = state.params.self();
        ChainStore chain = state.chain;
        List<ArchivedHeight> tail = store.newest(chain.mustKeep());
        if (!tail.isEmpty()) {
            List<ChainStore.Entry> entries = new ArrayList<>();
            Hash previous = null;
            for (ArchivedHeight a : tail) {
                ChainStore.Entry e;
                try {
                    e = entry(a);
                } catch (DecodeException | RuntimeException ex) {
                    throw new IllegalStateException("replica " + self + ": the stored finalized height " + a.height()
                            + " does not decode: " + ex.getMessage(), ex);
                }
                if (previous != null && !e.block().parent().equals(previous)) {
                    throw new IllegalStateException("replica " + self + ": the stored finalized height " + a.height()
                            + " does not extend the stored height " + (a.height() - 1));
                }
                previous = e.hash();
                entries.add(e);
            }
            chain.restore(entries);
            for (ChainStore.Entry e : entries) {
                state.finalizedHashes.put(e.block().height(), e.hash());
            }
            state.resumeAt(chain.height());
            purger.purge(); // the pool's admission window starts above the resumed height
        }
        int restored = 0;
        for (byte[] frame : store.signedAbove(chain.height())) {
            Msg m;
            try {
                m = Wire.decode(frame);
            } catch (DecodeException e) {
                throw new IllegalStateException("replica " + self + ": a stored own artifact does not decode: "
                        + e.getMessage(), e);
            }
            if (!(m instanceof Signed a) || a.height() <= chain.height()) {
                continue;
            }
            HeightState hs = state.heightState(a.height());
            hs.mine.add(a);
            if (a instanceof Proposal) {
                hs.proposed = true; // never a second, different block at this height
            } else if (a instanceof Share sh) {
                if (sh.notarization()) {
                    hs.myNotarizationShares.add(sh.hash());
                } else {
                    hs.myFinalizationShares.add(sh.hash());
                    hs.finalizationShareDecided = true;
                }
                state.pool.addValidated(sh);
                state.add(sh);
            }
            restored++;
        }
        LOG.info("replica {}: consensus resumes at finalized height {} with {} own artifacts above it", self,
                chain.height(), restored);
    }

    private static ChainStore.Entry entry(ArchivedHeight a) throws DecodeException {
        Proposal p = (Proposal) Wire.decodeAs(a.proposal(), Proposal.class);
        if (p.height() != a.height() || !p.hash().equals(a.hash())) {
            throw new DecodeException(0, "the proposal is not the archived block");
        }
        Aggregate notarization = a.notarization() == null ? null : (Aggregate) Wire.decodeAs(a.notarization(), Aggregate.class);
        Aggregate finalization = a.finalization() == null ? null : (Aggregate) Wire.decodeAs(a.finalization(), Aggregate.class);
        return new ChainStore.Entry(p.block(), p.hash(), p, notarization, finalization);
    }
}
