package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.crypto.Hash;

/** At finalization the purger drops the heights at and below it, the pool's artifacts there and the validator's memory of them. */
class PurgerTest {
    final RoleFixture fx = new RoleFixture(0);

    @Test
    void dropsEverythingAtOrBelowTheFinalizedHeightAndNothingAbove() {
        Proposal one = fx.proposal(fx.block(1, fx.tip(), 0, 10, null));
        Proposal two = fx.proposal(fx.block(2, one.hash(), 0, 20, null));
        Proposal three = fx.proposal(fx.block(3, two.hash(), 0, 30, null));
        for (Proposal p : List.of(one, two, three)) {
            fx.accept(p);
        }
        // Waits in the validator: its parent at height 2 is not notarized here.
        Proposal waiting = fx.proposal(fx.block(3, Hash.sha256(new byte[] {7}), 1, 30, null));
        assertTrue(fx.state.pool.offer(1, waiting).admitted());
        fx.validator.processUnvalidated();
        assertEquals(1, fx.validator.deferredCount());

        fx.state.chain.append(one, null, null);
        fx.state.chain.append(two, null, null);
        fx.purger.purge();

        assertEquals(List.of(3L), List.copyOf(fx.state.heights.keySet()));
        assertTrue(fx.state.pool.validatedAt(1).isEmpty());
        assertTrue(fx.state.pool.validatedAt(2).isEmpty());
        assertFalse(fx.state.pool.validatedAt(3).isEmpty());
        assertEquals(1, fx.validator.deferredCount(), "height 3 is still open: the deferred block stays");
        assertEquals(1, fx.state.pool.unvalidatedCount());

        fx.state.chain.append(three, null, null);
        fx.purger.purge();
        assertTrue(fx.state.heights.isEmpty());
        assertEquals(0, fx.state.pool.unvalidatedCount());
        assertEquals(0, fx.validator.deferredCount(), "forgotten with its height");
    }
}
