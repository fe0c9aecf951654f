package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.FinalityProof;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.crypto.Hash;

/**
 * The finalizer shares a finalization only for the one notarized block of a height it
 * notarization-shared nothing else at, decides once, and delivers the finalized chain in order.
 */
class FinalizerTest {
    final RoleFixture fx = new RoleFixture(0);

    private Proposal block(long height, Hash parent, int rank) {
        Proposal p = fx.proposal(fx.block(height, parent, rank, 10 * height + rank, null));
        fx.accept(p);
        return p;
    }

    private List<Share> finalizationShares() {
        return RoleFixture.shares(fx.takeSent(), Wire.FINALIZATION_SHARE);
    }

    @Test
    void sharesTheOnlyNotarizedBlockItNotarizationShared() {
        Proposal b = block(1, fx.tip(), 0);
        fx.notary.share(1, b.hash());
        fx.quorum(Wire.NOTARIZATION_SHARE, b);
        fx.advanceNotarized();
        fx.takeSent();
        assertTrue(fx.finalizer.shareIfOnlyNotarized(1));
        List<Share> shares = finalizationShares();
        assertEquals(1, shares.size());
        assertEquals(b.hash(), shares.get(0).hash());
        assertFalse(fx.finalizer.shareIfOnlyNotarized(1), "decides once");
        assertTrue(finalizationShares().isEmpty());
    }

    @Test
    void sharesWhenItNotarizationSharedNothing() {
        Proposal b = block(1, fx.tip(), 1);
        fx.quorum(Wire.NOTARIZATION_SHARE, b);
        assertTrue(fx.finalizer.shareIfOnlyNotarized(1));
        assertEquals(b.hash(), finalizationShares().get(0).hash());
    }

    @Test
    void neverSharesWhenItNotarizationSharedAnotherBlock() {
        Proposal mine = block(1, fx.tip(), 0);
        Proposal other = block(1, fx.tip(), 1);
        fx.notary.share(1, mine.hash());
        fx.quorum(Wire.NOTARIZATION_SHARE, other); // the others notarized another block
        fx.takeSent();
        assertFalse(fx.finalizer.shareIfOnlyNotarized(1));
        assertTrue(finalizationShares().isEmpty());
        assertTrue(fx.state.at(1).finalizationShareDecided, "and never will at this height");
    }

    @Test
    void neverSharesWhenTwoBlocksAreNotarized() {
        Proposal a = block(1, fx.tip(), 0);
        Proposal b = block(1, fx.tip(), 1);
        fx.quorum(Wire.NOTARIZATION_SHARE, a);
        fx.quorum(Wire.NOTARIZATION_SHARE, b);
        assertEquals(List.of(a.hash(), b.hash()), fx.finalizer.notarizedBlocks(1));
        assertNull(fx.finalizer.decide(1));
        assertFalse(fx.finalizer.shareIfOnlyNotarized(1));
    }

    @Test
    void waitsForANotarizedBlock() {
        block(1, fx.tip(), 0);
        assertNull(fx.finalizer.decide(1));
        assertFalse(fx.state.at(1).finalizationShareDecided, "nothing decided before a block is notarized");
    }

    @Test
    void finalizesTheChainAndDeliversEveryHeightInOrderWithAProof() {
        Proposal one = block(1, fx.tip(), 0);
        fx.quorum(Wire.NOTARIZATION_SHARE, one);
        Proposal two = block(2, one.hash(), 0);
        fx.quorum(Wire.NOTARIZATION_SHARE, two);
        fx.advanceNotarized();
        assertEquals(2, fx.notarizedHeight());
        assertFalse(fx.finalizer.finalizeNext(), "nothing is finalized yet");

        fx.quorum(Wire.FINALIZATION_SHARE, two); // height 2 finalized: height 1 with it
        fx.at(3000);
        assertTrue(fx.finalizer.finalizeNext());
        assertEquals(2, fx.delivered.size());
        assertEquals(one.block(), fx.delivered.get(0).block());
        assertEquals(two.block(), fx.delivered.get(1).block());
        FinalityProof proofOfOne = decode(fx.delivered.get(0).finalizationProof());
        assertEquals(2, proofOfOne.height(), "height 1 is final through its descendant's finalization");
        assertTrue(proofOfOne.verify(RoleFixture.SUBNET, fx.members));
        assertEquals(2, fx.state.finalizedHeight());
        assertEquals(two.hash(), fx.state.finalizedHashes.get(2L));
        assertEquals(List.of(3L), List.copyOf(fx.state.heights.keySet()), "heights up to 2 purged, round 3 begun");
        assertEquals(RoleFixture.START, fx.state.at(3).roundStart, "round 3 began when height 2 was notarized");
        assertEquals(fx.now + fx.params.period(), fx.retransmission.next());
        assertFalse(fx.finalizer.finalizeNext());
    }

    @Test
    void haltsWhenAFinalizedBlockDoesNotExtendTheFinalizedChain() {
        Proposal one = block(1, fx.tip(), 0);
        Proposal rival = block(1, fx.tip(), 1);
        fx.quorum(Wire.NOTARIZATION_SHARE, one);
        fx.quorum(Wire.FINALIZATION_SHARE, one);
        fx.advanceNotarized();
        assertTrue(fx.finalizer.finalizeNext());
        // More than f faulty: a finalized block on the rival branch (never possible with at most f).
        Proposal onRival = fx.proposal(fx.block(2, rival.hash(), 0, 50, null));
        fx.accept(onRival);
        fx.quorum(Wire.NOTARIZATION_SHARE, onRival);
        fx.quorum(Wire.FINALIZATION_SHARE, onRival);
        fx.advanceNotarized();
        assertTrue(fx.finalizer.finalizeNext());
        assertTrue(fx.state.halted);
        assertEquals(1, fx.state.finalizedHeight());
        assertEquals(1, fx.delivered.size());
    }

    private static FinalityProof decode(byte[] proof) {
        try {
            return FinalityProof.decode(proof);
        } catch (org.outcalls.crypto.DecodeException e) {
            throw new AssertionError(e);
        }
    }
}
