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
 */
final class ChainStore {
    /** One finalized block with its evidence (proposal is null only for genesis). */
    record Entry(Block block, Hash hash, Proposal proposal, Aggregate notarization, Aggregate finalization) {
    }

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final int keepAtLeast;
    private final long keepBytes;
    private long bytes;
    private Entry tip;

    ChainStore(Block genesis, int keepAtLeast, long keepBytes) {
        this.keepAtLeast = keepAtLeast;
        this.keepBytes = keepBytes;
        this.tip = new Entry(genesis, genesis.hash(), null, null, null);
        entries.put(0L, tip);
    }

    int keepAtLeast() {
        return keepAtLeast;
    }

    /** After a restart: the chain is the stored newest heights (oldest first, linked by parent hashes). */
    void restore(List<Entry> newest) {
        entries.clear();
        bytes = 0;
        for (Entry e : newest) {
            entries.put(e.block().height(), e);
            if (e.proposal() != null) {
                bytes += e.proposal().frame().length;
            }
        }
        tip = newest.get(newest.size() - 1);
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
        bytes += p.frame().length;
        prune();
    }

    private void prune() {
        while (entries.size() > keepAtLeast) {
            Map.Entry<Long, Entry> first = entries.firstEntry();
            boolean overBytes = bytes > keepBytes;
            if (!overBytes && entries.size() <= 4L * keepAtLeast) {
                return;
            }
            entries.pollFirstEntry();
            if (first.getValue().proposal() != null) {
                bytes -= first.getValue().proposal().frame().length;
            }
        }
    }
}
