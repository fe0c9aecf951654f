package org.outcalls.consensus.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.crypto.Hash;
import org.outcalls.pool.ArtifactPool;
import org.outcalls.pool.PoolLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one replica knows, shared by its roles: the finalized chain, the heights above it
 * ({@link HeightState}), the artifact pool, the notarized height, and the counters. Roles read it
 * and change it only on the protocol thread; the views for other threads are volatile or
 * concurrent. {@link #add} records a validated artifact (the IC's validated pool section and
 * share aggregator in one).
 */
final class ConsensusState {
    /** Finalized blocks kept in memory beyond validation's ancestry, for peers that catch up: at most this many… */
    static final int CHAIN_KEEP_BLOCKS = 1024;
    /** …weighing at most this (per replica: an in-JVM subnet holds n chains in one heap). */
    static final long CHAIN_KEEP_BYTES = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusState.class);

    /** Largest exponent of the 1.5× rank-delay back-off when finalization lags notarization. */
    static final int MAX_BACKOFF_EXPONENT = 6;
    /** How many finalized block hashes {@link #finalizedHashes} remembers. */
    static final int REMEMBER_HASHES = 100_000;

    final Params params;
    /** Who runs consensus at each height. */
    final Committees committees;
    final ChainStore chain;
    final ArtifactPool<Signed> pool;
    final TreeMap<Long, HeightState> heights = new TreeMap<>();
    final Counters counters = new Counters();
    final ConcurrentHashMap<Long, Hash> finalizedHashes = new ConcurrentHashMap<>();
    /** Counts changes that may make a deferred artifact valid (a new block, notarization, height, time). */
    long epoch;
    /** Finalization found two chains (more than f faulty): nothing more is done. */
    boolean halted;
    private long notarizedHeight;
    private volatile long finalizedHeightView;
    private volatile long notarizedHeightView;
    /** The earliest local time at which something not possible now becomes possible. */
    private long nextDue = Long.MAX_VALUE;

    ConsensusState(Params params, Committees committees, ChainStore chain, ArtifactPool<Signed> pool) {
        this.params = params;
        this.committees = committees;
        this.chain = chain;
        this.pool = pool;
        finalizedHashes.put(chain.height(), chain.tip().hash());
    }

    /** A new replica's state: the genesis chain and a pool admitting {@code window} heights above the finalized one. */
    static ConsensusState create(Params params, int window, long maxBytesPerPeer) {
        return create(params, org.outcalls.consensus.Membership.fixed(params.members()), window, maxBytesPerPeer);
    }

    /** The same, with the members at each height from {@code membership}. */
    static ConsensusState create(Params params, org.outcalls.consensus.Membership membership, int window,
            long maxBytesPerPeer) {
        int n = params.n();
        ArtifactPool<Signed> pool = new ArtifactPool<>(params.capacity(), new PoolLimits(4096, maxBytesPerPeer, window,
                (n * n + 8 * n) * window + 4096, 4096));
        ChainStore chain = new ChainStore(Block.genesis(params.subnetId()), params.ancestryDepth() + 2,
                Math.max(params.ancestryDepth() + 2, CHAIN_KEEP_BLOCKS), CHAIN_KEEP_BYTES);
        return new ConsensusState(params, new Committees(membership, params.key().publicKey()), chain, pool);
    }

    /** The committee at {@code height}, or null if this replica cannot know it yet (it then waits). */
    Committee committee(long height) {
        return committees.at(height);
    }

    long finalizedHeight() {
        return chain.height();
    }

    long notarizedHeight() {
        return notarizedHeight;
    }

    long finalizedHeightView() {
        return finalizedHeightView;
    }

    long notarizedHeightView() {
        return notarizedHeightView;
    }

    void setNotarizedHeight(long height) {
        notarizedHeight = height;
        notarizedHeightView = height;
    }

    /** The chain now ends at {@code height} with {@code hash} (a finalization or a restart). */
    void setFinalized(long height, Hash hash) {
        finalizedHashes.put(height, hash);
        finalizedHashes.remove(height - REMEMBER_HASHES);
        finalizedHeightView = height;
    }

    /** After a restart: the chain resumed at {@code height}, and nothing above it is notarized here yet. */
    void resumeAt(long height) {
        finalizedHeightView = height;
        setNotarizedHeight(height);
    }

    /** What is known at {@code height}, or null. */
    HeightState at(long height) {
        return heights.get(height);
    }

    HeightState heightState(long height) {
        return heights.computeIfAbsent(height, k -> new HeightState(k, params.capacity()));
    }

    /** The heights above the finalized one, lowest first. */
    Collection<HeightState> unfinalized() {
        return heights.tailMap(chain.height(), false).values();
    }

    /** Something becomes possible at local time {@code at}: the engine wakes up then. */
    void due(long at) {
        if (at < nextDue) {
            nextDue = at;
        }
    }

    /** The earliest {@link #due} time since the last call (Long.MAX_VALUE if none), forgotten. */
    long takeDue() {
        long at = nextDue;
        nextDue = Long.MAX_VALUE;
        return at;
    }

    /** Rank delay, stretched by 1.5 per height that finalization lags notarization (as the IC does). */
    long delay(int rank) {
        if (rank == 0) {
            return 0;
        }
        long gap = Math.max(0, Math.min(MAX_BACKOFF_EXPONENT, notarizedHeight - chain.height() - 1));
        double factor = Math.pow(1.5, gap);
        return (long) (rank * (double) params.rankDelay() * factor);
    }

    /** The block with {@code hash} at {@code height} if it is finalized or validated and notarized here. */
    Block notarizedBlock(long height, Hash hash) {
        if (height <= chain.height()) {
            ChainStore.Entry e = chain.get(height);
            return e != null && e.hash().equals(hash) ? e.block() : null;
        }
        HeightState hs = heights.get(height);
        if (hs == null) {
            return null;
        }
        Proposal p = hs.proposals.get(hash);
        return p != null && hs.notarized(hash) ? p.block() : null;
    }

    /** Any block this replica has at {@code height} with {@code hash} (finalized or validated). */
    Block knownBlock(long height, Hash hash) {
        if (height <= chain.height()) {
            ChainStore.Entry e = chain.get(height);
            return e != null && e.hash().equals(hash) ? e.block() : null;
        }
        HeightState hs = heights.get(height);
        Proposal p = hs == null ? null : hs.proposals.get(hash);
        return p == null ? null : p.block();
    }

    /** Raises the notarized height over every following height with a notarized block; whether it moved. */
    boolean advanceNotarized(long now) {
        long nh = notarizedHeight;
        while (true) {
            HeightState hs = heights.get(nh + 1);
            if (hs != null && hs.hasNotarizedBlock()) {
                nh++;
            } else {
                break;
            }
        }
        if (nh <= notarizedHeight) {
            return false;
        }
        setNotarizedHeight(nh);
        HeightState next = heightState(nh + 1);
        if (next.roundStart < 0) {
            next.roundStart = now;
        }
        epoch++;
        return true;
    }

    /**
     * Records a validated artifact: a proposal (two of one maker disqualify it at that height), a
     * share (n − f of them on one block make a notarization or finalization here), or a
     * notarization or finalization (its signatures count as shares).
     */
    void add(Signed a) {
        if (a instanceof Proposal p) {
            HeightState hs = heightState(p.height());
            hs.proposals.put(p.hash(), p);
            List<Hash> byMaker = hs.byMaker.computeIfAbsent(p.maker(), k -> new ArrayList<>(2));
            byMaker.add(p.hash());
            if (byMaker.size() >= 2 && hs.disqualified.add(p.maker())) {
                counters.count(Counters.EQUIVOCATIONS);
                LOG.warn("replica {}: maker {} proposed two blocks at height {}: disqualified there", params.self(),
                        p.maker(), p.height());
            }
            epoch++;
        } else if (a instanceof Share s) {
            HeightState hs = heightState(s.height());
            boolean notarization = s.notarization();
            int count = hs.addShare(notarization, s.hash(), s.signer(), s.signature());
            Committee c = committee(s.height());
            if (c != null && count >= c.threshold()) {
                Map<Hash, Aggregate> target = notarization ? hs.notarizations : hs.finalizations;
                if (!target.containsKey(s.hash())) {
                    TreeMap<Integer, byte[]> sigs = hs.shares(notarization).get(s.hash());
                    Aggregate g = Wire.aggregate(notarization ? Wire.NOTARIZATION : Wire.FINALIZATION, s.height(),
                            s.hash(), sigs);
                    target.put(s.hash(), g);
                    pool.addValidated(g);
                    epoch++;
                }
            }
        } else if (a instanceof Aggregate g) {
            HeightState hs = heightState(g.height());
            boolean notarization = g.notarization();
            (notarization ? hs.notarizations : hs.finalizations).putIfAbsent(g.hash(), g);
            for (Map.Entry<Integer, byte[]> e : g.signatures().entrySet()) {
                hs.addShare(notarization, g.hash(), e.getKey(), e.getValue());
            }
            epoch++;
        }
    }

    /** The unfinalized heights, one block per line, for debugging a stuck or failing run. */
    void describe(StringBuilder b, long now) {
        for (HeightState hs : heights.values()) {
            b.append("  h=").append(hs.height).append(" roundStart=")
                    .append(hs.roundStart < 0 ? "-" : ((now - hs.roundStart) / 1_000_000) + "ms ago")
                    .append(" proposed=").append(hs.proposed).append(" disqualified=").append(hs.disqualified)
                    .append(" finalizationShareDecided=").append(hs.finalizationShareDecided).append('\n');
            for (Proposal p : hs.proposals.values()) {
                b.append("    block ").append(p.hash()).append(" maker=").append(p.maker()).append(" rank=")
                        .append(p.rank()).append(" notarized=").append(hs.notarized(p.hash())).append(" final=")
                        .append(hs.finalizations.containsKey(p.hash())).append(" nShares=")
                        .append(hs.notarizationShares.getOrDefault(p.hash(), new TreeMap<>()).keySet())
                        .append(" fShares=").append(hs.finalizationShares.getOrDefault(p.hash(), new TreeMap<>()).keySet())
                        .append('\n');
            }
            b.append("    mine: N=").append(hs.myNotarizationShares).append(" F=").append(hs.myFinalizationShares)
                    .append(" other notarizations=").append(hs.notarizations.keySet()).append(" finalizations=")
                    .append(hs.finalizations.keySet()).append('\n');
        }
    }
}
