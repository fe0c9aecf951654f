package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.ServingBudget;
import org.outcalls.transport.Transports;

class ServingLimitsTest {
    private static final long PERIOD = 2_000_000_000L;

    @Test
    void aPeriodsWorthAtOnceThenAPeriodsWorthPerPeriod() {
        ServingBudget.Limits l = ServingLimits.of(PERIOD);
        assertEquals(32L << 20, l.burstBytes());
        assertEquals(16L << 20, l.bytesPerSecond());
        assertEquals(2 * ConsensusEngine.WINDOW, l.burstReplies());
        assertEquals(ConsensusEngine.WINDOW, l.repliesPerSecond());
        assertEquals(Duration.ofMillis(500), l.replayWindow(), "P / 4: an honest replica asks again after P / 2");
    }

    @Test
    void anHonestRequestersRetryIsAnsweredAndAFloodersReplayIsNot() {
        ServingBudget b = Transports.servingBudget("catch-up", 0, 4, ServingLimits.of(PERIOD));
        Wire.Request r = new Wire.Request(7, Hash.sha256(new byte[] {7}));
        assertTrue(b.admit(1, r, 0, 0));
        assertFalse(b.admit(1, new Wire.Request(7, Hash.sha256(new byte[] {7})), 0, PERIOD / 8), "a replay");
        assertTrue(b.admit(1, r, 0, PERIOD / 2), "asked again after P / 2, as the engine does");
    }
}
