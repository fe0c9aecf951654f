package org.outcalls.replica.internal.local;

import java.util.List;
import java.util.Locale;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.Member;
import org.outcalls.replica.SubnetStatus;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.local.LocalSubnet;

/** One replica's row of {@code GET /api/v1/subnet} for a {@link LocalSubnet}. */
final class LocalStatusRow {
    private LocalStatusRow() {
    }

    static SubnetStatus.ReplicaRow of(int i, Member m, ReplicaNode n, String state, LocalSubnet.Fault fault,
                                      ReplicaPlugins plugins) {
        // replicas in one JVM have no address and no connection of their own to report
        return new SubnetStatus.ReplicaRow(i, m.nodeId(), m.publicKey().hex(), null, state,
                fault.name().toLowerCase(Locale.ROOT), n.consensus().finalizedHeight(), n.replica().height(),
                Hash.wrap(n.replica().stateHash()).hex(), n.waitingFor().orElse(null), n.replica().halt().orElse(null),
                null, List.copyOf(n.missingPlugins()), n.installedOn(i).orElse(List.of()),
                plugins.hidden().isEmpty() ? null : plugins.hidden());
    }
}
