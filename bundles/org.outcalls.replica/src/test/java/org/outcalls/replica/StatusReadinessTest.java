package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.outcalls.replica.Halt;
import org.outcalls.replica.Readiness;
import org.outcalls.replica.SubnetStatus;

/** Readiness of an embedded subnet from its status rows. */
class StatusReadinessTest {
    private static SubnetStatus.ReplicaRow row(int index, String fault, long finalized, long executed, String waitingFor,
                                               Halt halted) {
        return new SubnetStatus.ReplicaRow(index, "node-" + index, "key-" + index, null, "up", fault, finalized,
                executed, "", waitingFor, halted, null, List.of(), List.of(), null);
    }

    private static SubnetStatus.ReplicaRow row(int index, String fault, long finalized, long executed) {
        return row(index, fault, finalized, executed, null, null);
    }

    private static SubnetStatus status(List<SubnetStatus.ReplicaRow> rows) {
        return new SubnetStatus("subnet", null, rows.size(), 1, rows.size() - 1, 1, Map.of(), Map.of(), Map.of(), null,
                null, null, null, List.of(), true, rows);
    }

    @Test
    void honestReplicasInStepAreReadyAndDeliberatelyFaultyOnesDoNotCount() {
        Readiness r = StatusReadiness.of(status(List.of(row(0, "none", 50, 50), row(1, "none", 49, 49),
                row(2, "crash", 0, 0))));
        assertTrue(r.ready(), r.reasons().toString());
    }

    @Test
    void aLaggingHaltedOrWaitingReplicaMakesTheProcessUnready() {
        Readiness r = StatusReadiness.of(status(List.of(row(0, "none", 50, 50),
                row(1, "none", 50, 49, null, new Halt(50, "execution of height 50 failed: boom")),
                row(2, "none", 50, 50, "canister price-feed", null), row(3, "none", 29, 29))));
        assertEquals(List.of("replica 1 is halted at height 50: execution of height 50 failed: boom",
                "replica 2 is waiting: canister price-feed",
                "replica 3 is 21 heights behind (finalized 29, the most advanced replica 50; at most 20)"), r.reasons());
    }

    @Test
    void noReplicasIsNotReady() {
        assertEquals(List.of("no replica has started in this process"),
                StatusReadiness.of(status(List.of())).reasons());
    }
}
