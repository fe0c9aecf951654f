package org.outcalls.replica.internal.node;

import java.util.Map;
import java.util.TreeMap;
import org.outcalls.consensus.ConsensusMetrics;

/** A replica's event counters for the dashboard and {@code /metrics}, by name. */
public final class ReplicaCounters {
    private ReplicaCounters() {
    }

    public static Map<String, Long> of(ReplicaNode n, ConsensusMetrics m) {
        Map<String, Long> counters = new TreeMap<>();
        counters.put("blocks_proposed", m.blocksProposed());
        counters.put("equivocations", m.equivocations());
        counters.put("invalid_artifacts", m.invalidArtifacts());
        counters.put("undecodable_frames", m.undecodableFrames());
        counters.put("retransmissions", m.retransmissions());
        counters.put("catch_ups_served", m.catchUpsServed());
        counters.put("blocks_requested", m.blocksRequested());
        // answers a peer's serving budget did not allow (over budget, or the same request again too soon)
        counters.put("catch_up_answers_refused", m.servingRefused());
        counters.put("content_answers_refused", n.outcalls().contentRequestsRefused());
        return counters;
    }
}
