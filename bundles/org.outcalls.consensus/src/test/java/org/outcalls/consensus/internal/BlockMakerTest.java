package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.internal.Wire.Proposal;

/**
 * The block maker proposes at its rank delay (plus the heartbeat without work), stays silent while
 * a better-ranked block is here, builds on the best parent, and never proposes what its own
 * validators reject.
 */
class BlockMakerTest {
    /** This replica has rank 1 at height 1. */
    final RoleFixture fx = new RoleFixture(new Ranking(RoleFixture.SUBNET, RoleFixture.N).makerOf(1, 1));

    private List<Proposal> proposalsSent() {
        return RoleFixture.proposals(fx.takeSent());
    }

    @Test
    void withoutWorkWaitsForItsRankDelayAndTheHeartbeat() {
        assertFalse(fx.maker.propose(1));
        assertEquals(RoleFixture.START + RoleFixture.DELTA + RoleFixture.HEARTBEAT, fx.state.takeDue());
        fx.at(1099);
        assertFalse(fx.maker.propose(1));
        fx.at(1100);
        assertTrue(fx.maker.propose(1));
        List<Proposal> sent = proposalsSent();
        assertEquals(1, sent.size());
        Block b = sent.get(0).block();
        assertEquals(1, b.height());
        assertEquals(1, b.rank());
        assertEquals(fx.self, b.maker());
        assertEquals(fx.tip(), b.parent());
        assertEquals(fx.now, b.time());
        assertTrue(b.payload().isEmpty());
        assertTrue(fx.state.at(1).proposals.containsKey(sent.get(0).hash()), "its own block counts as validated");
        assertFalse(fx.maker.propose(1), "once per height");
        assertTrue(proposalsSent().isEmpty());
    }

    @Test
    void withWorkProposesAtItsRankDelayWithTheSectionsPayload() {
        fx.section.work = true;
        fx.section.next = TestSection.bytes("cmd");
        assertFalse(fx.maker.propose(1));
        assertEquals(RoleFixture.START + RoleFixture.DELTA, fx.state.takeDue());
        fx.at(100);
        assertTrue(fx.maker.propose(1));
        Block b = proposalsSent().get(0).block();
        assertArrayEquals(TestSection.bytes("cmd"), b.payloadOf(TestSection.NAME));
        assertEquals(1, fx.section.built.get(0).height());
        assertEquals(Block.MAX_PAYLOAD_BYTES, fx.section.built.get(0).maxBytes());
    }

    @Test
    void staysSilentWhileABetterRankedBlockIsHere() {
        Proposal zero = fx.proposal(fx.block(1, fx.tip(), 0, 5, null));
        fx.accept(zero);
        fx.at(5000);
        assertFalse(fx.maker.propose(1));
        assertTrue(proposalsSent().isEmpty());
        // The rank-0 maker turns out to equivocate: disqualified, so this replica proposes after all.
        fx.accept(fx.proposal(fx.block(1, fx.tip(), 0, 6, null)));
        assertTrue(fx.maker.propose(1));
        assertEquals(1, proposalsSent().size());
    }

    @Test
    void leavesOutAPayloadItsOwnValidatorRejects() {
        fx.section.work = true;
        fx.section.next = TestSection.bytes("bad");
        fx.at(100);
        assertTrue(fx.maker.propose(1));
        assertTrue(proposalsSent().get(0).block().payload().isEmpty());
    }

    @Test
    void afterAnEarlyEmptyBlockWaitsForTheHeartbeatUntilNewWork() {
        fx.section.work = true; // says it has work, builds nothing
        fx.at(100);
        assertTrue(fx.maker.propose(1));
        Proposal mine = proposalsSent().get(0);
        fx.quorum(Wire.NOTARIZATION_SHARE, mine);
        fx.advanceNotarized(); // round 2 begins now; this replica has rank 0 there
        assertEquals(0, fx.ranking.rankOf(2, fx.self));
        fx.state.takeDue();
        assertFalse(fx.maker.propose(2), "the work is used up: no empty blocks back to back");
        assertEquals(fx.now + RoleFixture.HEARTBEAT, fx.state.takeDue());
        fx.maker.workAvailable(); // a section reports new work
        assertTrue(fx.maker.propose(2));
        assertEquals(2, proposalsSent().get(0).block().height());
    }

    @Test
    void buildsOnTheFinalizedTipOrTheBestNotarizedBlock() {
        assertEquals(fx.tip(), fx.maker.parent(1).hash());
        assertNull(fx.maker.parent(2), "nothing notarized at height 1 yet");
        Proposal zero = fx.proposal(fx.block(1, fx.tip(), 0, 5, null));
        Proposal two = fx.proposal(fx.block(1, fx.tip(), 2, 6, null));
        fx.accept(two);
        fx.accept(zero);
        fx.quorum(Wire.NOTARIZATION_SHARE, two);
        assertEquals(two.hash(), fx.maker.parent(2).hash());
        fx.quorum(Wire.NOTARIZATION_SHARE, zero);
        assertEquals(zero.hash(), fx.maker.parent(2).hash(), "the lower rank");
        fx.quorum(Wire.FINALIZATION_SHARE, two);
        assertEquals(two.hash(), fx.maker.parent(2).hash(), "a finalized block first");
    }

    @Test
    void aBlockTimeIsAlwaysAboveItsParents() {
        Proposal zero = fx.proposal(fx.block(1, fx.tip(), 0, 9_000, null)); // its maker's clock is ahead
        fx.accept(zero);
        fx.quorum(Wire.NOTARIZATION_SHARE, zero);
        fx.advanceNotarized();
        Block made = fx.maker.make(2, fx.now);
        assertEquals(zero.block().time() + 1, made.time());
        assertTrue(fx.maker.proposed(2));
    }
}
