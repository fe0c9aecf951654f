package org.outcalls.consensus.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICC's echo, on demand: blocks this replica lacks although an honest replica has them are asked
 * for (once per {@code P / 2}), and when finalization has not moved for a period {@code P} it
 * broadcasts its status and again everything it signed above its finalized height, plus the
 * blocks it notarization-shared.
 */
final class Retransmission {
    private static final Logger LOG = LoggerFactory.getLogger(Retransmission.class);

    private final ConsensusState state;
    private final Channel out;
    private final long period;
    private long nextRetransmit;

    Retransmission(ConsensusState state, Channel out) {
        this.state = state;
        this.out = out;
        this.period = state.params.period();
    }

    /** Finalization moved (or the replica started) at {@code now}: the next retransmission is a period away. */
    void finalizationMoved(long now) {
        nextRetransmit = now + period;
    }

    /** When the next retransmission is due. */
    long next() {
        return nextRetransmit;
    }

    /** Retransmits if finalization has not moved for a whole period. */
    void maybeRetransmit(long now) {
        if (now < nextRetransmit) {
            return;
        }
        nextRetransmit = now + period;
        state.counters.count(Counters.RETRANSMISSIONS);
        // Finalization has not moved for a whole period: frames may have been lost, or peers
        // were down. Say where we are and repeat what we signed above the finalized height.
        out.broadcast(Wire.status(state.finalizedHeight(), state.notarizedHeight()));
        for (HeightState hs : state.unfinalized()) {
            for (Signed s : hs.mine) {
                out.broadcast(s.frame());
            }
            // ICC's echo: the blocks we notarization-shared, so every honest replica can share them too.
            for (Hash h : hs.myNotarizationShares) {
                Proposal p = hs.proposals.get(h);
                if (p != null && p.maker() != state.params.self()) {
                    out.broadcast(p.frame());
                }
            }
        }
        LOG.debug("replica {}: no finalization for a while at height {}: retransmitted", state.params.self(),
                state.finalizedHeight());
    }

    /**
     * Asks peers for blocks this replica lacks although at least one honest replica has them:
     * blocks with a notarization or finalization, or with notarization shares from f + 1 replicas.
     * (ICC has honest replicas echo every block they notarization-share; asking instead saves the
     * bandwidth in the common case, and retransmission repeats the echo when a round stalls.)
     */
    void requestMissingBlocks(long now) {
        for (HeightState hs : state.unfinalized()) {
            for (Aggregate g : hs.notarizations.values()) {
                requestMissing(hs, g.hash(), g.signatures().keySet(), now);
            }
            for (Aggregate g : hs.finalizations.values()) {
                requestMissing(hs, g.hash(), g.signatures().keySet(), now);
            }
            for (Map.Entry<Hash, TreeMap<Integer, byte[]>> e : hs.notarizationShares.entrySet()) {
                Committee c = state.committee(hs.height);
                if (c != null && e.getValue().size() > c.f()) {
                    requestMissing(hs, e.getKey(), e.getValue().keySet(), now);
                }
            }
        }
    }

    private void requestMissing(HeightState hs, Hash hash, Set<Integer> holders, long now) {
        if (hs.proposals.containsKey(hash)) {
            return;
        }
        Long last = hs.requested.get(hash);
        if (last != null && now - last < period / 2) {
            return;
        }
        hs.requested.put(hash, now);
        state.counters.count(Counters.REQUESTS);
        byte[] frame = Wire.request(hs.height, hash);
        for (int signer : holders) {
            if (signer != state.params.self()) {
                out.send(signer, frame);
            }
        }
    }
}
