package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.outcall.OutcallContextInfo;

class DecisionsTest {
    private final ShareFixture f = new ShareFixture();
    private final SharePool pool = new SharePool(4);
    private final AtomicInteger signals = new AtomicInteger();
    private final AtomicInteger asked = new AtomicInteger();
    private final List<Runnable> protocolThread = new ArrayList<>();
    private final OutcallContextInfo ctx = ShareFixture.context(5);

    private Decisions decisions(boolean policyInstalled) {
        return new Decisions(0, 4, ShareFixture.plugins(policyInstalled), cb -> {
            asked.incrementAndGet(); // once per time the request's policy is asked
            return pool.candidates(cb);
        }, signals::incrementAndGet, protocolThread::add);
    }

    /** Shares of replicas 0 .. count − 1 for {@link #ctx}, all signing one content, each followed by {@code then}. */
    private byte[] addSame(int count, java.util.function.Consumer<OutcallContextInfo> then) {
        byte[] c = ShareFixture.content("same");
        for (int i = 0; i < count; i++) {
            pool.add(f.share(i, ctx, c), null);
            then.accept(ctx);
        }
        return c;
    }

    private void runProtocolThread() {
        while (!protocolThread.isEmpty()) {
            protocolThread.remove(0).run();
        }
    }

    @Test
    void sharesThatArriveTogetherHaveTheirRequestAskedAboutOnceInALaterTask() {
        Decisions d = decisions(true);
        byte[] c = ShareFixture.content("same");
        OutcallContextInfo other = ShareFixture.context(6);
        for (int i = 0; i < 4; i++) {
            pool.add(f.share(i, ctx, c), null);
            d.later(ctx);
            pool.add(f.share(i, other, c), null);
            d.later(other);
        }
        assertEquals(0, asked.get(), "nothing asked while the shares at hand come in");
        assertEquals(1, protocolThread.size(), "one task asks about every marked request");
        runProtocolThread();
        assertEquals(2, asked.get(), "each request asked once, over its four shares");
        assertEquals(List.of(5L, 6L), d.decidable());
        d.later(ctx);
        runProtocolThread();
        assertEquals(2, asked.get(), "a decidable request is not asked again");
    }

    @Test
    void theBlockMakerLookingForWorkSeesEveryShareAddedSoFar() {
        Decisions d = decisions(true);
        addSame(3, d::later);
        assertTrue(d.mayHaveDecisions(0), "asked before the task ran");
        assertEquals(1, signals.get());
        runProtocolThread();
        assertEquals(1, asked.get(), "the task finds nothing left to ask");
    }

    @Test
    void aClosedRequestIsNotAskedAbout() {
        Decisions d = decisions(true);
        pool.add(f.share(0, ctx, ShareFixture.content("x")), null);
        d.later(ctx);
        d.close(5);
        runProtocolThread();
        assertEquals(0, asked.get());
        assertEquals(List.of(), d.decidable());
    }

    @Test
    void aRequestBecomesDecidableWhenItsPolicySaysSoAndIsWorkUntilAProposalCarriesIt() {
        Decisions d = decisions(true);
        byte[] c = addSame(2, d::check);
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
