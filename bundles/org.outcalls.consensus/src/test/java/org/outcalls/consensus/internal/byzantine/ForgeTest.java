package org.outcalls.consensus.internal.byzantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.internal.Behaviour;
import org.outcalls.consensus.internal.RoleFixture;
import org.outcalls.consensus.internal.RoleFixture.Sent;
import org.outcalls.consensus.internal.Wire;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;

/**
 * FORGE: sends every kind of garbage once per round instead of a proposal, and never a genuine
 * notarization or finalization share.
 */
class ForgeTest {
    final RoleFixture fx = new RoleFixture(0);
    final Behaviour forge = FaultBehaviours.of(fx.config().withFaultMode(FaultMode.FORGE), fx.ranking);

    @Test
    void sendsGarbageOncePerRoundAndNoGenuineProposal() {
        assertFalse(forge.propose(fx.maker(), 1));
        List<Sent> sent = fx.takeSent();
        assertTrue(fx.maker().proposed(1));
        int undecodable = 0;
        int proposals = 0;
        int shares = 0;
        int aggregates = 0;
        for (Sent s : sent) {
            if (s.msg() == null) {
                undecodable++;
            } else if (s.msg() instanceof Proposal) {
                proposals++;
            } else if (s.msg() instanceof Share) {
                shares++;
            } else if (s.msg() instanceof Aggregate) {
                aggregates++;
            }
        }
        assertTrue(undecodable >= 2, "random bytes and a cut frame, at least");
        assertTrue(proposals >= 8, "blocks with bad signatures, in others' names, wrong rank, parent, time, payload");
        assertTrue(shares >= 4, "shares for blocks that do not exist and in others' names");
        assertTrue(aggregates >= 3, "forged notarizations and finalizations");
        assertFalse(forge.propose(fx.maker(), 1));
        assertTrue(fx.takeSent().isEmpty(), "once per round");
    }

    @Test
    void neverSignsAGenuineShare() {
        Proposal zero = fx.proposal(fx.block(1, fx.tip(), 0, 5, null));
        fx.accept(zero);
        fx.at(10_000);
        assertFalse(forge.notarizationShares(fx.notary(), 1));
        fx.quorum(Wire.NOTARIZATION_SHARE, zero);
        fx.advanceNotarized();
        assertFalse(forge.finalizationShares(fx.finalizer(), 1));
        assertTrue(fx.takeSent().isEmpty());
        assertEquals(null, fx.finalizer().decide(1), "decided like an honest replica, but signed nothing");
    }
}
