package org.outcalls.replica.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.outcalls.replica.Readiness;

/** Readiness of an embedded subnet from its status rows. */
class StatusReadinessTest {
    private static Map<String, Object> row(int index, String fault, long finalized, long executed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("index", index);
        r.put("state", "up");
        r.put("fault", fault);
        r.put("finalized_height", finalized);
        r.put("executed_height", executed);
        return r;
    }

    @Test
    void honestReplicasInStepAreReadyAndDeliberatelyFaultyOnesDoNotCount() {
        Readiness r = StatusReadiness.of(Map.of("replicas", List.of(row(0, "none", 50, 50), row(1, "none", 49, 49),
                row(2, "crash", 0, 0))));
        assertTrue(r.ready(), r.reasons().toString());
    }

    @Test
    void aLaggingHaltedOrWaitingReplicaMakesTheProcessUnready() {
        Map<String, Object> halted = row(1, "none", 50, 49);
        halted.put("halted", Map.of("height", 50L, "reason", "execution of height 50 failed: boom"));
        Map<String, Object> waiting = row(2, "none", 50, 50);
        waiting.put("waiting_for", "canister price-feed");
        Readiness r = StatusReadiness.of(Map.of("replicas", List.of(row(0, "none", 50, 50), halted, waiting,
                row(3, "none", 29, 29))));
        assertEquals(List.of("replica 1 is halted at height 50: execution of height 50 failed: boom",
                "replica 2 is waiting: canister price-feed",
                "replica 3 is 21 heights behind (finalized 29, the most advanced replica 50; at most 20)"), r.reasons());
    }

    @Test
    void noReplicasIsNotReady() {
        assertEquals(List.of("no replica has started in this process"), StatusReadiness.of(Map.of()).reasons());
    }
}
