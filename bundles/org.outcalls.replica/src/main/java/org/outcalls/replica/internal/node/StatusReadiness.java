package org.outcalls.replica.internal.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.outcalls.replica.Readiness;

/**
 * Readiness of the replicas of one process judged from their {@code status()} rows (the embedded
 * subnet of {@code outcalls run}): each honest replica must execute (not halted, not waiting for a
 * canister) and keep within {@link Readiness#MAX_LAG_HEIGHTS} of the most advanced one. Replicas
 * made faulty on purpose ({@code --faulty}) are left out: they misbehave by design.
 */
public final class StatusReadiness {
    private StatusReadiness() {
    }

    public static Readiness of(Map<String, Object> status) {
        List<Map<?, ?>> rows = rows(status.get("replicas"));
        List<String> reasons = new ArrayList<>();
        if (rows.isEmpty()) {
            reasons.add("no replica has started in this process");
        }
        long top = 0;
        for (Map<?, ?> r : rows) {
            if (honest(r)) {
                top = Math.max(top, number(r.get("finalized_height")));
            }
        }
        int honest = 0;
        for (Map<?, ?> r : rows) {
            if (!honest(r)) {
                continue;
            }
            honest++;
            String who = "replica " + r.get("index");
            long finalized = number(r.get("finalized_height"));
            long executed = number(r.get("executed_height"));
            if (r.get("halted") instanceof Map<?, ?> h) {
                reasons.add(who + " is halted at height " + h.get("height") + ": " + h.get("reason"));
            } else if (r.get("waiting_for") != null) {
                reasons.add(who + " is waiting: " + r.get("waiting_for"));
            } else if ("crashed".equals(r.get("state"))) {
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

    private static boolean honest(Map<?, ?> row) {
        Object fault = row.get("fault");
        return fault == null || "none".equals(fault);
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static List<Map<?, ?>> rows(Object replicas) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (replicas instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
