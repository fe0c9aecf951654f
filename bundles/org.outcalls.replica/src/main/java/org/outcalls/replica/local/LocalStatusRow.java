package org.outcalls.replica.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.Member;
import org.outcalls.replica.internal.node.ReplicaNode;

/** One replica's row of {@code GET /api/v1/subnet} for a {@link LocalSubnet}. */
final class LocalStatusRow {
    private LocalStatusRow() {
    }

    static Map<String, Object> of(int i, Member m, ReplicaNode n, String state, LocalSubnet.Fault fault,
                                  ReplicaPlugins plugins) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("index", i);
        row.put("node_id", m.nodeId());
        row.put("public_key", m.publicKey().hex());
        row.put("state", state);
        row.put("fault", fault.name().toLowerCase(Locale.ROOT));
        row.put("finalized_height", n.consensus().finalizedHeight());
        row.put("executed_height", n.replica().height());
        row.put("state_hash", Hash.wrap(n.replica().stateHash()).hex());
        n.waitingFor().ifPresent(w -> row.put("waiting_for", w));
        n.replica().halt().ifPresent(h -> row.put("halted", h.toJson()));
        row.put("missing_plugins", List.copyOf(n.missingPlugins()));
        row.put("installed_plugins", n.installedOn(i).orElse(List.of()));
        if (!plugins.hidden().isEmpty()) {
            row.put("hidden_plugins", plugins.hidden());
        }
        return row;
    }
}
