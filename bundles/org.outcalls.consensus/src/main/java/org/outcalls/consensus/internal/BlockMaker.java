package org.outcalls.consensus.internal;

import java.util.Set;
import java.util.TreeMap;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Block making (the IC's block maker): at round {@code h} the rank-{@code r} maker proposes once,
 * {@code delay(r)} after the round started if a section has work, a heartbeat later if not, unless
 * a better-ranked valid block is already here. The block extends the finalized tip or the best
 * notarized block below, carries the sections' payloads (each checked by this replica's own
 * validators first) and is signed, kept, broadcast and recorded.
 */
public final class BlockMaker {
    private static final Logger LOG = LoggerFactory.getLogger(BlockMaker.class);

    /** A block to build on. */
    public record Parent(Block block, Hash hash) {
    }

    private final ConsensusState state;
    private final Sections sections;
    private final Publisher publisher;
    private final Ranking ranking;
    private final Clock clock;
    /**
     * A block made early because a section had work came out empty (its work is already in
     * the chain, or not includable yet): until a section reports new work, wait for the
     * heartbeat rather than making empty blocks back to back.
     */
    private boolean workUsedUp;

    BlockMaker(ConsensusState state, Sections sections, Publisher publisher, Ranking ranking, Clock clock) {
        this.state = state;
        this.sections = sections;
        this.publisher = publisher;
        this.ranking = ranking;
        this.clock = clock;
    }

    /** A section reported new work: the next block may come before the heartbeat again. */
    void workAvailable() {
        workUsedUp = false;
    }

    /** ICC: propose at the rank delay (plus the heartbeat without work) unless a better-ranked block is here. */
    boolean propose(long height) {
        HeightState hs = state.heightState(height);
        Committee committee = state.committee(height);
        if (hs.proposed || committee == null || !committee.member()) {
            return false; // not a member there, or not known yet: no block from this replica
        }
        long now = clock.nanos();
        int myRank = ranking.rankOf(height, committee.self());
        for (Proposal c : hs.rankedCandidates()) {
            if (c.rank() < myRank) {
                return false; // a better block is already here
            }
        }
        boolean work = !workUsedUp && sections.anyWork();
        long at = hs.roundStart + state.delay(myRank) + (work ? 0 : state.params.heartbeat());
        if (now < at) {
            state.due(at);
            return false;
        }
        Block block = make(height, now);
        if (block == null) {
            return false;
        }
        Proposal p = publisher.sign(block);
        publisher.persist(p);
        publisher.out().broadcast(p.frame());
        publisher.record(p);
        LOG.debug("replica {}: proposed {} at height {} (rank {})", state.params.self(), p.hash(), height, myRank);
        return true;
    }

    /** Signs, keeps, sends and records this replica's artifacts. */
    public Publisher publisher() {
        return publisher;
    }

    /** Local time now. */
    public long now() {
        return clock.nanos();
    }

    /** Whether this replica proposed at {@code height}. */
    public boolean proposed(long height) {
        return state.heightState(height).proposed;
    }

    /** Marks {@code height} as proposed at (this replica never makes a block there). */
    public void markProposed(long height) {
        state.heightState(height).proposed = true;
    }

    /** This replica's payload sections' names, in order. */
    public Set<String> sectionNames() {
        return sections.names();
    }

    /**
     * This replica's block at {@code height}, made {@code now} on the best parent, counted and
     * marked proposed (unsigned); null if there is no parent yet.
     */
    public Block make(long height, long now) {
        HeightState hs = state.heightState(height);
        int myRank = ranking.rankOf(height, state.committee(height).self());
        Parent parent = parent(height);
        if (parent == null) {
            return null;
        }
        long time = Math.max(now, parent.block().time() + 1);
        Block block = build(height, parent.hash(), myRank, time);
        if (block.payload().isEmpty() && now < hs.roundStart + state.delay(myRank) + state.params.heartbeat()) {
            workUsedUp = true; // proposed early for work that produced nothing
        }
        hs.proposed = true;
        state.counters.count(Counters.PROPOSED);
        return block;
    }

    /**
     * The parent for a block at {@code height}: the finalized tip, or the best notarized block
     * below (finalized first, then the lowest rank, then the lowest hash); null if none.
     */
    public Parent parent(long height) {
        ChainStore chain = state.chain;
        if (height - 1 == chain.height()) {
            return new Parent(chain.tip().block(), chain.tip().hash());
        }
        HeightState ps = state.at(height - 1);
        if (ps == null) {
            return null;
        }
        Proposal best = null;
        for (Proposal p : ps.notarizedBlocks()) {
            if (best == null || (ps.finalizations.containsKey(p.hash()) && !ps.finalizations.containsKey(best.hash()))
                    || (ps.finalizations.containsKey(p.hash()) == ps.finalizations.containsKey(best.hash())
                            && (p.rank() < best.rank() || (p.rank() == best.rank() && p.hash().compareTo(best.hash()) < 0)))) {
                best = p;
            }
        }
        return best == null ? null : new Parent(best.block(), best.hash());
    }

    /** The block's payload: each section in name order, within what is left of the limit, and only if it validates here. */
    private Block build(long height, Hash parent, int rank, long time) {
        int self = state.committee(height).self();
        TreeMap<String, byte[]> payload = new TreeMap<>();
        long used = 0;
        for (PayloadSection s : sections.all()) {
            long max = Block.MAX_PAYLOAD_BYTES - used;
            byte[] bytes;
            Context ctx = sections.context(height, time, self, max, s.name(), parent);
            try {
                bytes = s.build(ctx);
                if (bytes == null) {
                    bytes = new byte[0];
                }
                if (bytes.length > max) {
                    LOG.error("replica {}: section {} built {} bytes, at most {} allowed: left out", self, s.name(),
                            bytes.length, max);
                    bytes = new byte[0];
                }
                // Never propose what we would reject ourselves.
                s.validate(sections.context(height, time, self, max, s.name(), parent), bytes);
            } catch (InvalidPayloadException | RuntimeException e) {
                LOG.error("replica {}: section {} built an invalid payload at height {}: left out", self, s.name(),
                        height, e);
                bytes = new byte[0];
            }
            if (bytes.length > 0) {
                payload.put(s.name(), bytes);
                used += bytes.length;
            }
        }
        return new Block(height, parent, rank, self, time, payload);
    }
}
