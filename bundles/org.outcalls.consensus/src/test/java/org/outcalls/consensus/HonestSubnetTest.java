package org.outcalls.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HonestSubnetTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {4, 7})
    void everyReplicaFinalizesTheSameChainAndExecutesEachCommandOnce(int n) {
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(n, 42));
        s.start();
        for (int i = 0; i < 3 * n; i++) {
            s.submit(i % n, i + 1);
            assertTrue(s.runUntil(() -> false, Duration.ofMillis(300)) || s.violations.isEmpty(), s.describe());
        }
        assertTrue(s.runUntilHonestAt(s.lastExpiry() + 1, Duration.ofMinutes(5)), s.describe());
        s.checkExactlyOnce();
        assertTrue(s.violations.isEmpty(), s.describe());
        long h = s.minHonestFinalized();
        for (TestSubnet.Replica r : s.replicas) {
            for (long k = 1; k <= h; k++) {
                assertEquals(s.agreed.get(k), r.consensus.finalizedHash(k), "height " + k + " at replica " + r.index);
            }
        }
        long expected = 0;
        for (int i = 0; i < 3 * n; i++) {
            expected += i + 1;
        }
        for (TestSubnet.Replica r : s.replicas) {
            assertEquals(expected, r.value, "counter at replica " + r.index);
        }
        System.out.println("n=" + n + ": " + h + " heights, " + s.net.eventsRun() + " events, virtual "
                + (s.net.now() - TestSubnet.START) / 1_000_000 + " ms");
    }
}
