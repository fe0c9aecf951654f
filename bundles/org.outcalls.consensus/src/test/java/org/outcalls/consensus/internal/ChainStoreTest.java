package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.internal.Wire.Proposal;

class ChainStoreTest {
    private static final byte[] SUBNET = new byte[32];

    private static ChainStore grow(ChainStore chain, int blocks, int payloadBytes) {
        for (int i = 0; i < blocks; i++) {
            SortedMap<String, byte[]> payload = new TreeMap<>();
            payload.put("ingress", new byte[payloadBytes]);
            Block b = new Block(chain.height() + 1, chain.tip().hash(), 0, 0, chain.height() + 1, payload);
            Proposal p = Wire.proposal(b, b.hash(), new byte[64]);
            chain.append(p, null, null);
        }
        return chain;
    }

    @Test
    void largeBlocksAreKeptWithinTheByteBudgetButNeverFewerThanValidationNeeds() {
        // under overload blocks near their 2 MiB bound: a count of 1,024 alone would keep 2 GiB
        ChainStore chain = grow(new ChainStore(Block.genesis(SUBNET), 10, 1024, 8L << 20), 40, 1 << 20);
        assertTrue(chain.bytes() <= (10L * 2 + 2) << 20, "kept " + chain.bytes() + " bytes");
        assertEquals(10, chain.size(), "the ten validation needs are kept even over the budget");
        assertNotNull(chain.get(40));
        assertNotNull(chain.get(31));
        assertNull(chain.get(30));
    }

    @Test
    void smallBlocksAreKeptUpToTheCount() {
        ChainStore chain = grow(new ChainStore(Block.genesis(SUBNET), 10, 100, 8L << 20), 300, 100);
        assertEquals(100, chain.size());
        assertEquals(201, chain.oldest());
    }

    @Test
    void blocksWeighTheirFrameAndTheirDecodedPayload() {
        ChainStore chain = grow(new ChainStore(Block.genesis(SUBNET), 1, 100, 1L << 30), 1, 100_000);
        assertTrue(chain.bytes() >= 200_000, "frame and payload each hold the 100 kB: " + chain.bytes());
    }
}
