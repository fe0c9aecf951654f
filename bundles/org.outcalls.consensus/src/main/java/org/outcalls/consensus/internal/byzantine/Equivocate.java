package org.outcalls.consensus.internal.byzantine;

import org.outcalls.consensus.Block;
import org.outcalls.consensus.internal.Behaviour;
import org.outcalls.consensus.internal.BlockMaker;
import org.outcalls.consensus.internal.Finalizer;
import org.outcalls.consensus.internal.Notary;
import org.outcalls.consensus.internal.Publisher;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.crypto.Hash;

/**
 * {@link org.outcalls.consensus.FaultMode#EQUIVOCATE}: as block maker proposes two different
 * blocks at once, regardless of its rank delay, one to each half of the subnet (even-numbered
 * peers get the first); notarization-shares every valid block; finalization-shares every
 * notarized block, however many there are at a height.
 */
final class Equivocate implements Behaviour {
    private final int n;
    private final int self;

    Equivocate(int n, int self) {
        this.n = n;
        this.self = self;
    }

    @Override
    public boolean finalizationShares(Finalizer finalizer, long height) {
        boolean progress = false;
        for (Hash block : finalizer.notarizedBlocks(height)) {
            progress |= finalizer.share(height, block);
        }
        return progress;
    }

    @Override
    public boolean notarizationShares(Notary notary, long height) {
        boolean progress = false;
        for (Hash block : notary.blocks(height)) {
            progress |= notary.share(height, block);
        }
        return progress;
    }

    @Override
    public boolean propose(BlockMaker maker, long height) {
        if (maker.proposed(height)) {
            return false;
        }
        Block block = maker.make(height, maker.now());
        if (block == null) {
            return false;
        }
        Block twin = new Block(block.height(), block.parent(), block.rank(), block.maker(), block.time() + 1,
                block.payload());
        Publisher publisher = maker.publisher();
        Proposal a = publisher.sign(block);
        Proposal b = publisher.sign(twin);
        publisher.persist(a);
        publisher.persist(b);
        for (int peer = 0; peer < n; peer++) {
            if (peer != self) {
                publisher.out().send(peer, (peer % 2 == 0 ? a : b).frame());
            }
        }
        publisher.record(a);
        publisher.record(b);
        return true;
    }
}
