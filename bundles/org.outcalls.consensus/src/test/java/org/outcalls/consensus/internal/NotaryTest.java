package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;

/** The notary shares the lowest-ranked valid block of its round, and only once that block's rank delay has passed. */
class NotaryTest {
    final RoleFixture fx = new RoleFixture(new Ranking(RoleFixture.SUBNET, RoleFixture.N).makerOf(1, 3));

    private Proposal rank(int rank) {
        Proposal p = fx.proposal(fx.block(1, fx.tip(), rank, 10, null));
        fx.accept(p);
        return p;
    }

    private List<Share> sharesSent() {
        return RoleFixture.shares(fx.takeSent(), Wire.NOTARIZATION_SHARE);
    }

    @Test
    void sharesTheBestBlockOnlyAfterItsRankDelayThenABetterOneAtOnce() {
        Proposal two = rank(2);
        fx.at(199); // delay(2) = 2Δ = 200 ms after the round started at 0
        assertFalse(fx.notary.shareBest(1));
        assertTrue(sharesSent().isEmpty());
        assertEquals(RoleFixture.START + 2 * RoleFixture.DELTA, fx.state.takeDue(), "wakes up when the delay is over");

        fx.at(200);
        assertTrue(fx.notary.shareBest(1));
        List<Share> shares = sharesSent();
        assertEquals(1, shares.size());
        assertEquals(two.hash(), shares.get(0).hash());
        assertEquals(fx.self, shares.get(0).signer());
        assertFalse(fx.notary.shareBest(1), "never the same block twice");

        Proposal one = rank(1); // a better block arrives after its own delay (100 ms) passed: shared at once
        fx.at(250);
        assertTrue(fx.notary.shareBest(1));
        assertEquals(one.hash(), sharesSent().get(0).hash());
        assertEquals(List.of(two.hash(), one.hash()), List.copyOf(fx.state.at(1).myNotarizationShares));
    }

    @Test
    void neverSharesAWorseBlockWhileABetterOneIsHere() {
        rank(2);
        Proposal zero = rank(0);
        fx.at(1000);
        assertTrue(fx.notary.shareBest(1));
        assertTrue(fx.notary.blocks(1).size() == 2);
        List<Share> shares = sharesSent();
        assertEquals(1, shares.size());
        assertEquals(zero.hash(), shares.get(0).hash());
        assertFalse(fx.notary.shareBest(1), "the worse block is never shared after the better one");
    }

    @Test
    void skipsDisqualifiedMakersAndBlocksItCouldNotCheck() {
        Proposal zero = rank(0);
        Proposal zeroTwin = fx.proposal(fx.block(1, fx.tip(), 0, 11, null));
        fx.accept(zeroTwin); // the rank-0 maker equivocated: disqualified at this height
        Proposal one = rank(1);
        fx.state.at(1).unchecked.add(one.hash()); // followed without being checked here
        fx.at(5000);
        assertFalse(fx.notary.shareBest(1));
        assertTrue(sharesSent().isEmpty());
        assertTrue(fx.state.at(1).disqualified.contains(zero.block().maker()));

        Proposal two = rank(2);
        assertTrue(fx.notary.shareBest(1));
        assertEquals(two.hash(), sharesSent().get(0).hash());
    }

    @Test
    void theRankDelayBacksOffWhileFinalizationLags() {
        assertEquals(0, fx.state.delay(0));
        assertEquals(RoleFixture.DELTA, fx.state.delay(1));
        fx.state.setNotarizedHeight(3); // two heights notarized above the finalized one, not finalized
        assertEquals((long) (RoleFixture.DELTA * 1.5 * 1.5), fx.state.delay(1));
        fx.state.setNotarizedHeight(100);
        assertEquals((long) (2 * RoleFixture.DELTA * Math.pow(1.5, ConsensusState.MAX_BACKOFF_EXPONENT)), fx.state.delay(2));
    }
}
