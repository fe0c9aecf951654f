package org.outcalls.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** f faulty replicas in each fault mode: safety always, progress always, every command once. */
class ByzantineSubnetTest {

    static Stream<Arguments> modes() {
        return Stream.of(FaultMode.CRASH, FaultMode.SILENT, FaultMode.EQUIVOCATE, FaultMode.FORGE)
                .flatMap(m -> Stream.of(Arguments.of(m, 4), Arguments.of(m, 7)));
    }

    /** The f faulty replicas: those with rank 0 at heights 1.. (so their faults matter from the start). */
    static Map<Integer, FaultMode> faulty(int n, FaultMode mode) {
        Map<Integer, FaultMode> m = new HashMap<>();
        int f = (n - 1) / 3;
        for (int i = 0; i < f; i++) {
            m.put(i * 2 % n, mode);
        }
        return m;
    }

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("modes")
    void fFaultyReplicasCannotBreakSafetyOrStopProgress(FaultMode mode, int n) {
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(n, 7 + n).faults(faulty(n, mode)));
        s.start();
        List<TestSubnet.Replica> honest = s.honest();
        for (int i = 0; i < 4 * n; i++) {
            s.submit(honest.get(i % honest.size()).index, 1);
            s.runUntil(() -> false, Duration.ofMillis(250));
        }
        assertTrue(s.runUntilHonestAt(Math.max(40, s.lastExpiry() + 1), Duration.ofMinutes(10)), s.describe());
        s.checkExactlyOnce();
        assertTrue(s.violations.isEmpty(), s.describe());
        for (TestSubnet.Replica r : honest) {
            assertEquals(4L * n, r.value, "replica " + r.index + ": " + s.describe());
        }
        // The fault was really exercised.
        long equivocations = honest.stream().mapToLong(r -> r.consensus.metrics().equivocations()).sum();
        long invalid = honest.stream().mapToLong(r -> r.consensus.metrics().invalidArtifacts()
                + r.consensus.metrics().undecodableFrames()).sum();
        switch (mode) {
            case EQUIVOCATE -> assertTrue(equivocations > 0, "no honest replica noticed an equivocation: " + s.describe());
            case FORGE -> assertTrue(invalid > 0, "no honest replica rejected a forgery: " + s.describe());
            default -> assertEquals(0, invalid, s.describe());
        }
        for (int b : s.faults.keySet()) {
            if (mode == FaultMode.CRASH || mode == FaultMode.SILENT) {
                assertFalse(s.agreed.entrySet().stream().anyMatch(e -> makerOf(s, e.getKey()) == b),
                        "a block of faulty replica " + b + " was finalized");
            }
        }
    }

    private static int makerOf(TestSubnet s, long height) {
        // Every honest replica has the same block; find its maker in any honest replica's record.
        return s.honest().get(0).makers.getOrDefault(height, -1);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {4, 7})
    void progressContinuesWhenFReplicasCrashMidRun(int n) {
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(n, 100 + n));
        s.start();
        assertTrue(s.runUntilHonestAt(10, Duration.ofMinutes(1)), s.describe());
        int f = (n - 1) / 3;
        // Crash the rank-0 makers of the next heights: rank delays must take over.
        long next = s.maxHonestFinalized() + 2;
        int crashed = 0;
        for (long h = next; crashed < f; h++) {
            int maker = s.rank0(h);
            if (!s.net.crashed(maker)) {
                s.net.crash(maker);
                crashed++;
            }
        }
        long at = s.maxHonestFinalized();
        for (int i = 0; i < 10; i++) {
            int target = firstLive(s, i);
            s.submit(target, 2);
        }
        assertTrue(s.runUntil(() -> s.minLiveHonestFinalized() >= Math.max(at + 30, s.lastExpiry() + 1),
                Duration.ofMinutes(10)), s.describe());
        for (TestSubnet.Replica r : s.replicas) {
            if (!s.net.crashed(r.index)) {
                assertEquals(20, r.value, "replica " + r.index);
            }
        }
        assertTrue(s.violations.isEmpty(), s.describe());
    }

    private static int firstLive(TestSubnet s, int start) {
        for (int k = 0; k < s.n; k++) {
            int i = (start + k) % s.n;
            if (!s.net.crashed(i)) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {4, 7})
    void progressStopsWithFPlusOneCrashedAndResumesWithoutForkWhenOneReturns(int n) {
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(n, 200 + n));
        s.start();
        assertTrue(s.runUntilHonestAt(8, Duration.ofMinutes(1)), s.describe());
        int f = (n - 1) / 3;
        for (int i = 0; i <= f; i++) {
            s.net.crash(i);
        }
        s.submit(n - 1, 5);
        s.runFor(Duration.ofSeconds(10)); // let what was in flight land
        long stuck = s.maxHonestFinalized();
        Map<Integer, Long> before = s.finalizedByReplica();
        s.runFor(Duration.ofMinutes(2));
        assertEquals(before, s.finalizedByReplica(), "progress without n−f replicas: " + s.describe());
        assertEquals(stuck, s.maxHonestFinalized());
        s.net.recover(0);
        assertTrue(s.runUntil(() -> s.minLiveHonestFinalized() >= stuck + 20, Duration.ofMinutes(10)), s.describe());
        assertTrue(s.violations.isEmpty(), s.describe());
        for (TestSubnet.Replica r : s.replicas) {
            if (!s.net.crashed(r.index)) {
                assertEquals(5, r.value, "replica " + r.index + " executes the command once: " + s.describe());
            }
        }
        // the replica that came back caught up the heights it missed
        assertTrue(s.replicas.get(0).finalized >= stuck + 20, s.describe());
    }

    @Test
    void aReplicaCutOffForManyWindowsCatchesUpOnTheSameChain() {
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(4, 300));
        s.start();
        assertTrue(s.runUntilHonestAt(5, Duration.ofMinutes(1)), s.describe());
        s.net.partition(List.of(Set.of(3)));
        for (int i = 0; i < 5; i++) {
            s.submit(i % 3, 3);
        }
        assertTrue(s.runUntil(() -> s.replicas.get(0).finalized >= 600, Duration.ofMinutes(30)), s.describe());
        long behind = s.replicas.get(3).finalized;
        assertTrue(behind < 10, "replica 3 was cut off");
        s.net.heal();
        assertTrue(s.runUntil(() -> s.replicas.get(3).finalized >= s.replicas.get(0).finalized - 1 && s.replicas.get(3).finalized >= 600,
                Duration.ofMinutes(5)), s.describe());
        assertTrue(s.violations.isEmpty(), s.describe());
        assertEquals(15, s.replicas.get(3).value);
        assertTrue(s.replicas.stream().anyMatch(r -> r.consensus.metrics().catchUpsServed() > 0));
    }

    @Test
    void blocksFromTheFutureAreNotAcceptedBeforeTheirTime() {
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(4, 400).tolerance(Duration.ofMillis(200)));
        // Replica 1's clock runs an hour ahead: its blocks carry times honest validators must not accept.
        s.net.clockSkew(1, Duration.ofHours(1));
        s.start();
        assertTrue(s.runUntilHonestAt(40, Duration.ofMinutes(10)), s.describe());
        for (TestSubnet.Replica r : s.replicas) {
            for (long t : r.blockTimes) {
                assertTrue(t <= s.net.now() + 200_000_000L, "a block time ahead of every other clock was finalized");
            }
        }
        assertTrue(s.violations.isEmpty(), s.describe());
        assertFalse(s.agreed.keySet().stream().anyMatch(h -> makerOf(s, h) == 1), "a block of the fast clock finalized");
    }
}
