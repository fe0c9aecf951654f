package org.outcalls.replica;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.outcalls.replica.Readiness;
import org.outcalls.replica.SubnetStatus;

/**
 * Readiness of the replicas of one process judged from their {@code status()} rows (the embedded
 * subnet of {@code outcalls run}): each honest replica must execute (not halted, not waiting for a
 * canister) and keep within {@link Readiness#MAX_LAG_HEIGHTS} of the most advanced one. Replicas
 * made faulty on purpose ({@code --faulty}) are left out: they misbehave by design.
 */
final class StatusReadiness {
    private StatusReadiness() {
    }

    public static Readiness of(SubnetStatus status) {
        List<SubnetStatus.ReplicaRow> rows = status.replicas() == null ? List.of() : status.replicas();
        List<String> reasons = new ArrayList<>();
        if (rows.isEmpty()) {
            reasons.add("no replica has started in this process");
        }
        long top = 0;
        for (SubnetStatus.ReplicaRow r : rows) {
            if (honest(r)) {
                top = Math.max(top, number(r.finalizedHeight()));
            }
        }
        int honest = 0;
        for (SubnetStatus.ReplicaRow r : rows) {
            if (!honest(r)) {
                continue;
            }
            honest++;
            String who = "replica " + r.index();
            long finalized = number(r.finalizedHeight());
            long executed = number(r.executedHeight());
            if (r.halted() != null) {
                reasons.add(who + " is halted at height " + r.halted().height() + ": " + r.halted().reason());
            } else if (r.waitingFor() != null) {
                reasons.add(who + " is waiting: " + r.waitingFor());
            } else if ("crashed".equals(r.state())) {
                reasons.add(who + " has crashed");
            }
            if (top - finalized > Readiness.MAX_LAG_HEIGHTS) {
                reasons.add(who + " is " + (top - finalized) + " heights behind (finalized " + finalized + ", the most "
                        + "advanced replica " + top + "; at most " + Readiness.MAX_LAG_HEIGHTS + ")");
            }
            if (finalized - executed > Readiness.MAX_LAG_HEIGHTS) {
                reasons.add(who + " executes " + (finalized - executed) + " heights behind its finalization (executed "
                        + executed + ", finalized " + finalized + ")");
            }
        }
        if (!rows.isEmpty() && honest == 0) {
            reasons.add("every replica of this process is faulty on purpose");
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("replicas", rows.size());
        facts.put("finalized_height", top);
        facts.put("max_lag_heights", Readiness.MAX_LAG_HEIGHTS);
        return Readiness.of(reasons, facts);
    }

    private static boolean honest(SubnetStatus.ReplicaRow row) {
        return row.fault() == null || "none".equals(row.fault());
    }

    /** A height the row does not report counts as 0. */
    private static long number(Long height) {
        return height == null ? 0 : height;
    }
}
