package org.outcalls.consensus.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.crypto.Hash;

/**
 * The finalized chain this replica keeps in memory: the newest blocks (enough for payload
 * validation's ancestry and for helping peers catch up), each with the maker's signature and
 * whatever notarization and finalization it has. Older blocks are forgotten: persisting them is
 * the replica's business.
 *
 * <p>What validation needs ({@code mustKeep} blocks) is always kept; beyond it, blocks stay while
 * there are at most {@code keepBlocks} and they weigh at most {@code keepBytes}. A block weighs its
 * proposal's frame and its decoded payload, both held: under overload blocks grow towards their
 * 2 MiB bound, and a count alone let four replicas of one JVM hold gigabytes (the benchmark's
 * TCP target ran out of a 2 GiB heap).
 */
final class ChainStore {
    /** One finalized block with its evidence (proposal is null only for genesis). */
    record Entry(Block block, Hash hash, Proposal proposal, Aggregate notarization, Aggregate finalization) {
    }

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final int mustKeep;
    private final int keepBlocks;
    private final long keepBytes;
    private long bytes;
    private Entry tip;

    ChainStore(Block genesis, int mustKeep, int keepBlocks, long keepBytes) {
        if (mustKeep < 1 || keepBlocks < mustKeep) {
            throw new IllegalArgumentException("mustKeep: at least 1 and at most keepBlocks (" + mustKeep + ", " + keepBlocks + ")");
        }
        this.mustKeep = mustKeep;
        this.keepBlocks = keepBlocks;
        this.keepBytes = keepBytes;
        this.tip = new Entry(genesis, genesis.hash(), null, null, null);
        entries.put(0L, tip);
    }

    /** Blocks always kept: what payload validation's ancestry needs. */
    int mustKeep() {
        return mustKeep;
    }

    /** What the blocks kept weigh now (frames and decoded payloads). */
    long bytes() {
        return bytes;
    }

    int size() {
        return entries.size();
    }

    /** After a restart: the chain is the stored newest heights (oldest first, linked by parent hashes). */
    void restore(List<Entry> newest) {
        entries.clear();
        bytes = 0;
        for (Entry e : newest) {
            entries.put(e.block().height(), e);
            bytes += weight(e);
        }
        tip = newest.get(newest.size() - 1);
        prune();
    }

    Entry tip() {
        return tip;
    }

    long height() {
        return tip.block().height();
    }

    Entry get(long height) {
        return entries.get(height);
    }

    long oldest() {
        return entries.firstKey();
    }

    void append(Proposal p, Aggregate notarization, Aggregate finalization) {
        if (p.height() != height() + 1 || !p.block().parent().equals(tip.hash())) {
            throw new IllegalStateException("block " + p.height() + " does not extend the finalized chain");
        }
        tip = new Entry(p.block(), p.hash(), p, notarization, finalization);
        entries.put(p.height(), tip);
        bytes += weight(tip);
        prune();
    }

    private void prune() {
        while (entries.size() > mustKeep && (entries.size() > keepBlocks || bytes > keepBytes)) {
            bytes -= weight(entries.pollFirstEntry().getValue());
        }
    }

    private static long weight(Entry e) {
        return e.proposal() == null ? 0 : e.proposal().frame().length + e.block().payloadBytes();
    }
}
