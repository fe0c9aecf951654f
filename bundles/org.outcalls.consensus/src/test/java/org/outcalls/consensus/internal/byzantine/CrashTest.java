package org.outcalls.consensus.internal.byzantine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.internal.Honest;
import org.outcalls.consensus.internal.RoleFixture;

/** CRASH: does nothing at all; NONE is the honest behaviour. */
class CrashTest {
    final RoleFixture fx = new RoleFixture(0);

    @Test
    void aCrashedReplicaTakesNoPart() {
        assertFalse(FaultBehaviours.of(fx.config().withFaultMode(FaultMode.CRASH), fx.ranking).takesPart());
    }

    @Test
    void everyOtherModeTakesPartAndNoneIsHonest() {
        assertInstanceOf(Honest.class, FaultBehaviours.of(fx.config(), fx.ranking));
        for (FaultMode m : new FaultMode[] {FaultMode.NONE, FaultMode.SILENT, FaultMode.EQUIVOCATE, FaultMode.FORGE}) {
            assertTrue(FaultBehaviours.of(fx.config().withFaultMode(m), fx.ranking).takesPart(), m.name());
        }
    }
}
