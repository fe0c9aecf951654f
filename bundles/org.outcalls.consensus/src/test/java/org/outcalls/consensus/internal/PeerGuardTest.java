package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A peer that sends more than 256 invalid artifacts in a period is ignored for a period. */
class PeerGuardTest {
    final RoleFixture fx = new RoleFixture(0);
    final PeerGuard guard = fx.guard;
    final long period = fx.params.period();

    @Test
    void ignoresAPeerForAPeriodAfterTooManyInvalidArtifacts() {
        guard.start(fx.now);
        for (int i = 0; i < PeerGuard.INVALID_PER_PERIOD; i++) {
            guard.penalize(1, fx.now);
        }
        assertFalse(guard.ignored(1, fx.now));
        guard.penalize(1, fx.now);
        assertTrue(guard.ignored(1, fx.now));
        assertFalse(guard.ignored(2, fx.now), "only that peer");
        assertTrue(guard.ignored(1, fx.now + period - 1));
        assertFalse(guard.ignored(1, fx.now + period));
    }

    @Test
    void countsStartAgainEveryPeriod() {
        guard.start(fx.now);
        for (int i = 0; i < PeerGuard.INVALID_PER_PERIOD; i++) {
            guard.penalize(1, fx.now);
        }
        guard.tick(fx.now + period - 1);
        guard.penalize(1, fx.now + period - 1);
        assertTrue(guard.ignored(1, fx.now + period - 1), "still the same period");

        guard.start(fx.now);
        for (int i = 0; i < PeerGuard.INVALID_PER_PERIOD; i++) {
            guard.penalize(2, fx.now);
        }
        guard.tick(fx.now + period);
        guard.penalize(2, fx.now + period);
        assertFalse(guard.ignored(2, fx.now + period), "a new period: the count started again");
    }
}
