package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.outcall.OutcallContextInfo;

class DecisionsTest {
    private final ShareFixture f = new ShareFixture();
    private final SharePool pool = new SharePool(4);
    private final AtomicInteger signals = new AtomicInteger();
    private final OutcallContextInfo ctx = ShareFixture.context(5);

    private Decisions decisions(boolean policyInstalled) {
        return new Decisions(0, 4, ShareFixture.plugins(policyInstalled), pool::candidates, signals::incrementAndGet);
    }

    @Test
    void aRequestBecomesDecidableWhenItsPolicySaysSoAndIsWorkUntilAProposalCarriesIt() {
        Decisions d = decisions(true);
        byte[] c = ShareFixture.content("same");
        for (int i = 0; i < 2; i++) {
            pool.add(f.share(i, ctx, c), null);
            d.check(ctx);
        }
        assertEquals(List.of(), d.decidable(), "2 of 4 shares: pending");
        assertFalse(d.mayHaveDecisions(0));
        pool.add(f.share(2, ctx, c), null);
        d.check(ctx);
        assertEquals(List.of(5L), d.decidable());
        assertEquals(1, signals.get(), "the block maker was told once");
        assertTrue(d.mayHaveDecisions(0));
        d.proposed(List.of(5L), 0);
        assertFalse(d.mayHaveDecisions(1), "a proposal carries it");
        assertTrue(d.mayHaveDecisions(Decisions.PROPOSED_GRACE.toNanos() + 1), "that proposal was not finalized in time");
        d.close(5);
        assertEquals(List.of(), d.decidable());
    }

    @Test
    void aRequestWhosePolicyIsMissingWaitsForIt() {
        Decisions d = decisions(false);
        pool.add(f.share(0, ctx, ShareFixture.content("x")), null);
        assertFalse(d.check(ctx));
        assertEquals(List.of(5L), d.waitingForPolicy());
    }
}
