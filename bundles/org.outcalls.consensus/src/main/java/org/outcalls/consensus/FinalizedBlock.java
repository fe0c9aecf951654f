package org.outcalls.consensus;

/**
 * A finalized block and the proof that it is final: the canonical encoding of a finalization,
 * n − f finalization signatures over this block's hash or over a descendant's (a block is also
 * final when a descendant is). See {@link FinalityProof}.
 *
 * @param block             the block
 * @param finalizationProof {@link FinalityProof#encode()}
 */
public record FinalizedBlock(Block block, byte[] finalizationProof) {
    public FinalizedBlock {
        if (block == null || finalizationProof == null) {
            throw new IllegalArgumentException("block and finalizationProof: required");
        }
        finalizationProof = finalizationProof.clone();
    }

    @Override
    public byte[] finalizationProof() {
        return finalizationProof.clone();
    }

    public long height() {
        return block.height();
    }

    @Override
    public String toString() {
        return "FinalizedBlock[" + block + "]";
    }
}
