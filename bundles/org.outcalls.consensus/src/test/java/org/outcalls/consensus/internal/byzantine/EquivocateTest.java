package org.outcalls.consensus.internal.byzantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.internal.Behaviour;
import org.outcalls.consensus.internal.Ranking;
import org.outcalls.consensus.internal.RoleFixture;
import org.outcalls.consensus.internal.RoleFixture.Sent;
import org.outcalls.consensus.internal.Wire;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;

/**
 * EQUIVOCATE: as maker proposes two different blocks at once, regardless of its rank delay, one to
 * each half of the subnet; notarization-shares every valid block; finalization-shares every
 * notarized block.
 */
class EquivocateTest {
    /** Rank 3, the worst, at height 1. */
    final RoleFixture fx = new RoleFixture(new Ranking(RoleFixture.SUBNET, RoleFixture.N).makerOf(1, 3));
    final Behaviour equivocate = FaultBehaviours.of(fx.config().withFaultMode(FaultMode.EQUIVOCATE), fx.ranking);

    @Test
    void proposesTwoBlocksAtOnceOneToEachHalf() {
        fx.accept(fx.proposal(fx.block(1, fx.tip(), 0, 0, null))); // a better block is already here
        assertTrue(equivocate.propose(fx.maker(), 1), "at the round's start, whatever its rank");
        List<Sent> sent = fx.takeSent();
        assertEquals(RoleFixture.N - 1, sent.size());
        Proposal even = null;
        Proposal odd = null;
        for (Sent s : sent) {
            Proposal p = (Proposal) s.msg();
            assertNotEquals(-1, s.peer(), "sent to each peer, not broadcast");
            assertEquals(fx.self, p.block().maker());
            assertEquals(3, p.block().rank());
            if (s.peer() % 2 == 0) {
                even = p;
            } else {
                odd = p;
            }
        }
        assertNotEquals(even.hash(), odd.hash());
        for (Sent s : sent) {
            assertEquals(s.peer() % 2 == 0 ? even.hash() : odd.hash(), ((Proposal) s.msg()).hash());
        }
        assertTrue(fx.maker().proposed(1));
        assertFalse(equivocate.propose(fx.maker(), 1), "once per height");
    }

    @Test
    void notarizationSharesEveryValidBlock() {
        Proposal zero = fx.proposal(fx.block(1, fx.tip(), 0, 5, null));
        Proposal two = fx.proposal(fx.block(1, fx.tip(), 2, 6, null));
        fx.accept(zero);
        fx.accept(two);
        assertTrue(equivocate.notarizationShares(fx.notary(), 1));
        List<Share> shares = RoleFixture.shares(fx.takeSent(), Wire.NOTARIZATION_SHARE);
        assertEquals(List.of(zero.hash(), two.hash()), shares.stream().map(Share::hash).toList());
        assertFalse(equivocate.notarizationShares(fx.notary(), 1), "each once");
    }

    @Test
    void finalizationSharesEveryNotarizedBlock() {
        Proposal zero = fx.proposal(fx.block(1, fx.tip(), 0, 5, null));
        Proposal two = fx.proposal(fx.block(1, fx.tip(), 2, 6, null));
        fx.accept(zero);
        fx.accept(two);
        fx.notary().share(1, zero.hash());
        fx.quorum(Wire.NOTARIZATION_SHARE, zero);
        fx.quorum(Wire.NOTARIZATION_SHARE, two);
        fx.takeSent();
        assertTrue(equivocate.finalizationShares(fx.finalizer(), 1));
        List<Share> shares = RoleFixture.shares(fx.takeSent(), Wire.FINALIZATION_SHARE);
        assertEquals(List.of(zero.hash(), two.hash()), shares.stream().map(Share::hash).toList());
    }
}
