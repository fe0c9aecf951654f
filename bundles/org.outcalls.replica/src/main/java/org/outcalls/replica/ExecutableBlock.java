package org.outcalls.replica;

import java.util.List;
import java.util.Objects;
import org.outcalls.consensus.Block;
import org.outcalls.crypto.DecodeException;

/**
 * What execution takes from one finalized block: its height, agreed time (Unix milliseconds) and
 * hash, the ingress messages and the outcall deliveries, each in block order.
 */
public record ExecutableBlock(long height, long blockTime, byte[] blockHash, List<IngressMessage> ingress,
                              List<OutcallDelivery> deliveries) {
    public ExecutableBlock {
        if (height < 1) {
            throw new IllegalArgumentException("height: blocks start at 1 (was " + height + ")");
        }
        Objects.requireNonNull(blockHash, "blockHash");
        blockHash = blockHash.clone();
        ingress = List.copyOf(ingress);
        deliveries = List.copyOf(deliveries);
    }

    /** Consensus block time (ns since the epoch) as execution's block time (ms), rounded down. */
    public static long millis(long blockTimeNanos) {
        return Math.floorDiv(blockTimeNanos, 1_000_000L);
    }

    @Override
    public byte[] blockHash() {
        return blockHash.clone();
    }
}
