package org.outcalls.replica.internal.multihost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.outcalls.replica.Halt;
import org.outcalls.replica.Readiness;

/**
 * Readiness of one replica of a multi-host subnet: it executes (not halted, not waiting for a
 * canister, execution keeps up with finalization), it reaches enough peers for the subnet to make
 * progress with it (n − f − 1), and its finalized height is within {@link Readiness#MAX_LAG_HEIGHTS}
 * of its peers'.
 *
 * <p>"Its peers' height" is the highest height that at least f + 1 peers report: one of them is
 * honest, so the subnet really got there. A single lying peer (claiming a huge height) can thus
 * neither take honest replicas out of a load balancer nor keep a lagging one in.
 */
final class ReplicaReadiness {
    private ReplicaReadiness() {
    }

    /**
     * What the decision rests on.
     *
     * @param peerFinalized what each member last reported (indexed by replica; the own entry is ignored)
     * @param connected     whether each member is connected now (the own entry is ignored)
     */
    record View(int self, int n, int f, Optional<Halt> halt, Optional<String> waitingFor, long finalized,
                long executed, long[] peerFinalized, boolean[] connected) {
    }

    static Readiness judge(View v) {
        List<String> reasons = new ArrayList<>();
        v.halt().ifPresent(h -> reasons.add("replica " + v.self() + " is halted at height " + h.height() + ": "
                + h.reason() + " (restart it)"));
        v.waitingFor().ifPresent(w -> reasons.add("replica " + v.self() + " is waiting: " + w));
        if (v.finalized() - v.executed() > Readiness.MAX_LAG_HEIGHTS) {
            reasons.add("execution is " + (v.finalized() - v.executed()) + " heights behind finalization (executed "
                    + v.executed() + ", finalized " + v.finalized() + ")");
        }
        int connected = 0;
        for (int i = 0; i < v.n(); i++) {
            if (i != v.self() && v.connected()[i]) {
                connected++;
            }
        }
        int needed = v.n() - v.f() - 1;
        if (connected < needed) {
            reasons.add("reaches " + connected + " of its " + (v.n() - 1) + " peers; the subnet needs this replica and "
                    + needed + " peers to finalize");
        }
        long peers = vouchedPeerHeight(v);
        if (peers - v.finalized() > Readiness.MAX_LAG_HEIGHTS) {
            reasons.add("finalized height " + v.finalized() + " is " + (peers - v.finalized()) + " heights behind its "
                    + "peers (" + (v.f() + 1) + " of them report " + peers + "; at most " + Readiness.MAX_LAG_HEIGHTS
                    + " behind counts as ready): catching up");
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("replica", v.self());
        facts.put("finalized_height", v.finalized());
        facts.put("executed_height", v.executed());
        facts.put("peers_finalized_height", peers);
        facts.put("peers_connected", connected);
        facts.put("max_lag_heights", Readiness.MAX_LAG_HEIGHTS);
        return Readiness.of(reasons, facts);
    }

    /** The highest height at least f + 1 peers report (0 with fewer than f + 1 peers). */
    static long vouchedPeerHeight(View v) {
        long[] others = new long[v.n() - 1];
        int k = 0;
        for (int i = 0; i < v.n(); i++) {
            if (i != v.self()) {
                others[k++] = v.peerFinalized()[i];
            }
        }
        Arrays.sort(others);
        int index = others.length - 1 - v.f();
        return index < 0 ? 0 : others[index];
    }
}
