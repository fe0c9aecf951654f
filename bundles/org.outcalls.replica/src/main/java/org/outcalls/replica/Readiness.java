package org.outcalls.replica;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether this process's replicas are up to date enough to serve ({@code GET /readyz}), and if
 * not, why, in sentences an operator can act on. Computed from in-memory state only, so a load
 * balancer may ask often.
 *
 * @param ready   true only if no reason speaks against serving
 * @param reasons why not, one sentence each (empty when ready)
 * @param facts   the numbers the decision rests on (heights, peers), JSON-ready
 */
public record Readiness(boolean ready, List<String> reasons, Map<String, Object> facts) {
    /**
     * Heights a replica's finalization may trail its peers (or its execution trail its
     * finalization) and still count as ready: a few seconds of blocks, so a short pause (a GC, a
     * backup copy) does not take it out of a load balancer, a real lag does.
     */
    public static final long MAX_LAG_HEIGHTS = 20;

    public Readiness {
        reasons = List.copyOf(reasons);
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        if (ready != reasons.isEmpty()) {
            throw new IllegalArgumentException("ready exactly when there is no reason against it");
        }
    }

    public static Readiness of(List<String> reasons, Map<String, Object> facts) {
        return new Readiness(reasons.isEmpty(), reasons, facts);
    }

    /** The JSON body: {@code {ready, reasons, ...facts}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ready", ready);
        out.put("reasons", reasons);
        out.putAll(facts);
        return out;
    }
}
