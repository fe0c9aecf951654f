package org.outcalls.consensus.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Request;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.consensus.internal.Wire.Status;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.outcalls.transport.ServingBudget;
import org.outcalls.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catch-up between peers: a replica that sees a peer ahead sends it its status (at most every
 * {@code P / 4}); one that sees a peer behind sends it the finalized blocks with their
 * certificates, from memory or the archive, then the notarized ones (at most every {@code P / 8}),
 * and answers block requests. Everything sent in answer to a peer comes out of that peer's
 * {@link ServingBudget} ({@link ServingLimits}).
 */
final class CatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);

    /** Heights sent per catch-up response at most. */
    static final int CATCH_UP_MAX_HEIGHTS = 64;
    /** Heights sent per catch-up response (more if needed to reach a finalization). */
    static final int CATCH_UP_HEIGHTS = 16;
    /** Bytes sent per catch-up response at most (roughly). */
    static final long CATCH_UP_BYTES = 8L * 1024 * 1024;
    /** A frame the serving budget refused: counts as more than a catch-up may carry, so the reply ends there. */
    private static final long REFUSED = Long.MAX_VALUE / 4;

    private final ConsensusState state;
    private final Channel out;
    /** Null when nothing is persisted: peers behind the in-memory chain cannot be served. */
    private final ConsensusStore store;
    private final Clock clock;
    private final long period;
    /** What each peer last said its finalized height is (read from any thread, for readiness). */
    private final AtomicLongArray peerFinalized;
    private final long[] peerNotarized;
    private final long[] lastCatchUpTo;
    private final long[] lastStatusTo;
    /** What peers may have us send them in answer to status and requests. */
    private final ServingBudget serving;

    CatchUp(ConsensusState state, Channel out, ConsensusStore store, Clock clock) {
        this.state = state;
        this.out = out;
        this.store = store;
        this.clock = clock;
        Params p = state.params;
        this.period = p.period();
        this.peerFinalized = new AtomicLongArray(p.capacity());
        this.peerNotarized = new long[p.capacity()];
        this.lastCatchUpTo = new long[p.capacity()];
        this.lastStatusTo = new long[p.capacity()];
        this.serving = Transports.servingBudget("catch-up", p.self(), p.capacity(), ServingLimits.of(period));
        Arrays.fill(lastCatchUpTo, Long.MIN_VALUE / 2);
        Arrays.fill(lastStatusTo, Long.MIN_VALUE / 2);
    }

    /** The highest finalized height each member has reported in a status (0 if none yet; the own entry stays 0). Any thread. */
    long[] peerFinalizedHeights() {
        long[] out = new long[peerFinalized.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = peerFinalized.get(i);
        }
        return out;
    }

    /**
     * The highest height at least f + 1 peers say they finalized: one of them is honest, so the
     * subnet really finalized it (0 before f + 1 peers spoke). A single lying peer moves nothing.
     */
    long vouchedFinalizedHeight() {
        Params p = state.params;
        long[] others = new long[p.n() - 1];
        int k = 0;
        for (int i = 0; i < p.n(); i++) {
            if (i != p.self()) {
                others[k++] = peerFinalized.get(i);
            }
        }
        Arrays.sort(others);
        int index = others.length - 1 - p.f();
        return index < 0 ? 0 : others[index];
    }

    /** Answers refused by the serving budget so far. */
    long refused() {
        return serving.refused();
    }

    /** {@code peer} is ahead: tell it where this replica is (so it sends a catch-up), at most every {@code P / 4}. */
    void askForHelp(int peer, long now) {
        if (now - lastStatusTo[peer] >= period / 4) {
            lastStatusTo[peer] = now;
            out.send(peer, Wire.status(state.finalizedHeight(), state.notarizedHeight()));
        }
    }

    void onStatus(int from, Status s, long now) {
        peerFinalized.accumulateAndGet(from, s.finalized(), Math::max);
        peerNotarized[from] = Math.max(peerNotarized[from], s.notarized());
        if (s.finalized() < state.finalizedHeight() || s.notarized() < state.notarizedHeight()) {
            if (now - lastCatchUpTo[from] >= period / 8 && serving.admit(from, null, 0, now)) {
                lastCatchUpTo[from] = now;
                state.counters.count(Counters.CATCH_UPS);
                sendCatchUp(from, s);
            }
        }
        if (s.finalized() > state.finalizedHeight() || s.notarized() > state.notarizedHeight()) {
            askForHelp(from, now);
        }
    }

    /** Sends a peer that is behind the blocks and certificates it needs next, bounded in heights and bytes. */
    private void sendCatchUp(int to, Status s) {
        ChainStore chain = state.chain;
        long bytes = 0;
        int heightsSent = 0;
        long h = s.finalized() + 1;
        for (; h <= chain.height(); h++) {
            ChainStore.Entry e = chain.get(h);
            boolean finalization;
            if (e != null) {
                bytes += serve(to, e.proposal());
                bytes += serve(to, e.notarization());
                bytes += serve(to, e.finalization());
                finalization = e.finalization() != null;
            } else {
                // Older than what is kept in memory: from the archive, if this replica persists.
                ArchivedHeight a = store == null ? null : store.archived(h);
                if (a == null) {
                    LOG.warn("replica {}: peer {} is at height {}, older than the {} kept here: it needs a state sync",
                            state.params.self(), to, s.finalized(), store == null ? chain.oldest() : "heights");
                    return;
                }
                bytes += serve(to, a.proposal());
                bytes += serve(to, a.notarization());
                bytes += serve(to, a.finalization());
                finalization = a.finalization() != null;
            }
            heightsSent++;
            boolean enough = (heightsSent >= CATCH_UP_HEIGHTS && finalization) || bytes > CATCH_UP_BYTES
                    || heightsSent >= CATCH_UP_MAX_HEIGHTS;
            if (enough) {
                return;
            }
        }
        for (HeightState hs : state.unfinalized()) {
            for (Proposal p : hs.notarizedBlocks()) {
                bytes += serve(to, p);
                bytes += serve(to, hs.notarizations.get(p.hash()));
                bytes += serve(to, hs.finalizations.get(p.hash()));
            }
            if (bytes > CATCH_UP_BYTES || ++heightsSent >= CATCH_UP_MAX_HEIGHTS) {
                return;
            }
        }
    }

    private long serve(int to, Signed a) {
        return a == null ? 0 : serve(to, a.frame());
    }

    /** Sends a frame of a reply within the peer's serving budget; its size, or {@link #REFUSED}. */
    private long serve(int to, byte[] frame) {
        if (frame == null) {
            return 0;
        }
        if (!serving.spend(to, frame.length, clock.nanos())) {
            return REFUSED;
        }
        out.send(to, frame);
        return frame.length;
    }

    /** A peer asks for a block: sent if this replica has it, once per {@code P / 4} and within the budget. */
    void onRequest(int from, Request r, long now) {
        HeightState hs = state.at(r.height());
        Proposal p = hs == null ? null : hs.proposals.get(r.hash());
        if (p == null && r.height() <= state.finalizedHeight()) {
            ChainStore.Entry e = state.chain.get(r.height());
            if (e != null && e.hash().equals(r.hash())) {
                p = e.proposal();
            }
        }
        if (p != null && serving.admit(from, r, 0, now)) { // the same request again within P / 4: not answered
            serve(from, p);
        }
    }
}
