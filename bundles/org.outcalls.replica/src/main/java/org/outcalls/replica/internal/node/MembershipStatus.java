package org.outcalls.replica.internal.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.outcalls.replica.AppliedMembership;
import org.outcalls.replica.Member;
import org.outcalls.replica.MembershipRules;
import org.outcalls.replica.MembershipSchedule;
import org.outcalls.replica.PendingMembership;

/** The {@code membership} object of {@code GET /api/v1/subnet}: the pending change, the last applied one. */
public final class MembershipStatus {
    private MembershipStatus() {
    }

    public static Map<String, Object> toJson(MembershipSchedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.pending().isPresent()) {
            PendingMembership p = s.pending().get();
            Map<String, Object> pending = new LinkedHashMap<>();
            pending.put("change", MembershipRules.describe(s.current(), p.members()));
            pending.put("requested_at", p.requestedAt());
            pending.put("effective_height", p.effectiveHeight());
            pending.put("heights_to_go", Math.max(0, p.effectiveHeight() - s.executedHeight()));
            int n = p.members().size();
            pending.put("replica_count", n);
            pending.put("faults_tolerated", (n - 1) / 3);
            pending.put("threshold", n - (n - 1) / 3);
            pending.put("members", members(p.members()));
            m.put("pending", pending);
        } else {
            m.put("pending", null);
        }
        List<AppliedMembership> applied = s.applied();
        if (applied.isEmpty()) {
            m.put("last_applied", null);
        } else {
            AppliedMembership a = applied.get(applied.size() - 1);
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("change", a.summary());
            last.put("height", a.height());
            last.put("registry_version", a.registryVersion());
            last.put("previous_replica_count", a.previous().size());
            m.put("last_applied", last);
        }
        m.put("changes_applied", applied.size());
        return m;
    }

    private static List<Map<String, Object>> members(List<Member> members) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member x : members) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", x.index());
            row.put("node_id", x.nodeId());
            row.put("public_key", x.publicKey().hex());
            row.put("address", x.hostPort().orElse(""));
            out.add(row);
        }
        return out;
    }
}
