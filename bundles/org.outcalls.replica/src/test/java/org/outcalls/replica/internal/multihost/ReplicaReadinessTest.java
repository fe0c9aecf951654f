package org.outcalls.replica.internal.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.outcalls.replica.Halt;
import org.outcalls.replica.Readiness;

/** When one replica of a 4-replica subnet (f = 1) says it is ready, and what it says when it is not. */
class ReplicaReadinessTest {
    private static final boolean[] ALL_CONNECTED = {true, true, true, true};

    private static ReplicaReadiness.View view(long finalized, long executed, long[] peers, boolean[] connected) {
        return new ReplicaReadiness.View(0, 4, 1, Optional.empty(), Optional.empty(), finalized, executed, peers, connected);
    }

    @Test
    void anUpToDateReplicaThatReachesItsPeersIsReady() {
        Readiness r = ReplicaReadiness.judge(view(100, 100, new long[] {0, 101, 100, 99}, ALL_CONNECTED));
        assertTrue(r.ready(), r.reasons().toString());
        assertEquals(100L, r.facts().get("peers_finalized_height"));
    }

    @Test
    void aReplicaFarBehindTheHeightFPlusOnePeersReportIsNotReady() {
        long behind = 100 - Readiness.MAX_LAG_HEIGHTS - 1;
        Readiness r = ReplicaReadiness.judge(view(behind, behind, new long[] {0, 100, 100, 5}, ALL_CONNECTED));
        assertFalse(r.ready());
        assertEquals(List.of("finalized height 79 is 21 heights behind its peers (2 of them report 100; at most 20 behind "
                + "counts as ready): catching up"), r.reasons());
        Readiness within = ReplicaReadiness.judge(view(80, 80, new long[] {0, 100, 100, 5}, ALL_CONNECTED));
        assertTrue(within.ready(), within.reasons().toString());
    }

    @Test
    void oneLyingPeerCanNeitherMakeAnHonestReplicaUnreadyNorKeepALaggingOneReady() {
        Readiness liar = ReplicaReadiness.judge(view(100, 100, new long[] {0, Long.MAX_VALUE / 2, 100, 100}, ALL_CONNECTED));
        assertTrue(liar.ready(), liar.reasons().toString());
        Readiness lagging = ReplicaReadiness.judge(view(10, 10, new long[] {0, 0, 200, 200}, ALL_CONNECTED));
        assertFalse(lagging.ready(), "two honest peers at 200 outvote a silent one");
    }

    @Test
    void aHaltedOrWaitingReplicaIsNotReadyAndSaysWhy() {
        Readiness halted = ReplicaReadiness.judge(new ReplicaReadiness.View(2, 4, 1, Optional.of(new Halt(57,
                "execution of height 57 failed: java.lang.OutOfMemoryError")), Optional.empty(), 57, 56,
                new long[] {57, 57, 0, 57}, ALL_CONNECTED));
        assertEquals(List.of("replica 2 is halted at height 57: execution of height 57 failed: "
                + "java.lang.OutOfMemoryError (restart it)"), halted.reasons());
        Readiness waiting = ReplicaReadiness.judge(new ReplicaReadiness.View(0, 4, 1, Optional.empty(),
                Optional.of("canister price-feed is not installed here"), 5, 5, new long[] {0, 5, 5, 5}, ALL_CONNECTED));
        assertEquals(List.of("replica 0 is waiting: canister price-feed is not installed here"), waiting.reasons());
    }

    @Test
    void executionFarBehindFinalizationIsNotReady() {
        Readiness r = ReplicaReadiness.judge(view(100, 70, new long[] {0, 100, 100, 100}, ALL_CONNECTED));
        assertEquals(List.of("execution is 30 heights behind finalization (executed 70, finalized 100)"), r.reasons());
    }

    @Test
    void aReplicaThatReachesFewerThanNMinusFMinusOnePeersIsNotReady() {
        boolean[] one = {true, true, false, false};
        Readiness r = ReplicaReadiness.judge(view(100, 100, new long[] {0, 100, 100, 100}, one));
        assertEquals(List.of("reaches 1 of its 3 peers; the subnet needs this replica and 2 peers to finalize"), r.reasons());
        assertTrue(ReplicaReadiness.judge(view(100, 100, new long[] {0, 100, 100, 100}, new boolean[] {false, true, true,
                false})).ready(), "two of three peers (n - f - 1) are enough; the own entry does not count");
    }

    @Test
    void aSingleReplicaSubnetNeedsNoPeers() {
        Readiness r = ReplicaReadiness.judge(new ReplicaReadiness.View(0, 1, 0, Optional.empty(), Optional.empty(), 3, 3,
                new long[] {0}, new boolean[] {false}));
        assertTrue(r.ready(), r.reasons().toString());
    }
}
