package org.outcalls.replica.internal.multihost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.Member;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.SubnetStatus;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.internal.node.MembershipStatus;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.statesync.SyncProgress;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.local.Plugins;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.transport.TcpTransport;

/**
 * {@code GET /api/v1/subnet} of a multi-host replica: the registry and this replica's heights and
 * state once its node runs (before that, while it syncs: {@code state: syncing}), its state sync's
 * progress, its newest catch-up package, its store, and each peer's connection. Plugins: what is
 * installed here (by kind), and per replica what it has installed and which enabled versions it
 * lacks: this replica's own view, and each peer's as it announced it (so an operator sees from any
 * one gateway which hosts a rollout has not reached yet); {@code missing_plugins} at the top is
 * their union.
 */
final class HostedStatus {
    private final ReplicaConfig config;
    private final ReplicaStore store;
    private final TcpTransport transport;
    private final ReplicaNode node;
    private final SyncProgress sync;
    private final Optional<CatchUpPackage> cup;
    private final Plugins plugins;

    HostedStatus(ReplicaConfig config, ReplicaStore store, TcpTransport transport, ReplicaNode node, SyncProgress sync,
                 Optional<CatchUpPackage> cup, Plugins plugins) {
        this.config = config;
        this.store = store;
        this.transport = transport;
        this.node = node;
        this.sync = sync;
        this.cup = cup;
        this.plugins = plugins;
    }

    SubnetStatus toStatus() {
        Replica r = node == null ? null : node.replica();
        // syncing: the members its configuration names (a joining replica's are not the genesis')
        SubnetRegistry registry = r == null ? config.genesis().registry().withMembers(config.members()) : r.registry();
        SubnetStatus.ThisReplica self = thisReplica(r);
        Map<String, Long> cycles = new TreeMap<>();
        if (r != null) {
            for (String id : registry.canisters().keySet()) {
                r.cyclesBalance(id).ifPresent(c -> cycles.put(id, c));
            }
        }
        List<SubnetStatus.ReplicaRow> replicas = replicas(registry, self);
        SortedSet<String> missing = new TreeSet<>();
        for (SubnetStatus.ReplicaRow row : replicas) {
            if (row.missingPlugins() != null) {
                missing.addAll(row.missingPlugins());
            }
        }
        return new SubnetStatus(config.subnetId(), "multi-host", registry.subnetSize(), registry.faultTolerance(),
                registry.subnetSize() - registry.faultTolerance(), registry.version(),
                node == null ? null : MembershipStatus.toJson(node.membershipSchedule()),
                new TreeMap<>(registry.plugins()), plugins.describe(), self, cycles, cup.map(HostedStatus::newestCup)
                .orElse(null), store(), List.copyOf(missing), null, replicas);
    }

    private SubnetStatus.ThisReplica thisReplica(Replica r) {
        String versions = transport.versions().toString();
        if (node == null) {
            return new SubnetStatus.ThisReplica(config.replica(), config.member().nodeId(), versions,
                    sync.phase() == SyncProgress.Phase.FAILED ? "sync failed" : "syncing", null, null, null, null, null,
                    sync.toJson());
        }
        return new SubnetStatus.ThisReplica(config.replica(), config.member().nodeId(), versions, node.state(),
                node.consensus().finalizedHeight(), r.height(), Hash.wrap(r.stateHash()).hex(),
                node.waitingFor().orElse(null), r.halt().orElse(null), sync.toJson());
    }

    private static SubnetStatus.NewestCup newestCup(CatchUpPackage c) {
        return new SubnetStatus.NewestCup(c.height(), c.content().blockHash().hex(), c.content().stateHash().hex(),
                c.content().registryVersion(), new ArrayList<>(c.signatures().keySet()), c.content().n());
    }

    private SubnetStatus.Store store() {
        Optional<long[]> range = store.chainRange();
        return new SubnetStatus.Store(store.format(), range.map(h -> h[0]).orElse(null),
                range.map(h -> h[1]).orElse(null), store.checkpointHeights(), store.fileBytes());
    }

    private List<SubnetStatus.ReplicaRow> replicas(SubnetRegistry registry, SubnetStatus.ThisReplica self) {
        List<SubnetStatus.ReplicaRow> replicas = new ArrayList<>();
        List<TcpTransport.PeerStatus> peers = transport.peerStatus();
        for (Member m : registry.members()) {
            String address = m.hostPort().orElse("");
            List<String> installed = null;
            List<String> missing = null;
            if (m.index() == config.replica()) {
                if (node != null) {
                    installed = node.installedOn(m.index()).orElse(List.of());
                    missing = List.copyOf(node.missingPlugins());
                }
                replicas.add(new SubnetStatus.ReplicaRow(m.index(), m.nodeId(), m.publicKey().hex(), address,
                        self.state(), null, self.finalizedHeight(), self.executedHeight(), self.stateHash(), null,
                        self.halted(), null, missing, installed, null));
            } else if (m.index() < peers.size()) {
                if (node != null) {
                    installed = node.installedOn(m.index()).orElse(null);
                    missing = installed == null ? null : lacking(registry.plugins(), installed);
                }
                TcpTransport.PeerStatus p = peers.get(m.index());
                int version = transport.protocolVersion(m.index());
                SubnetStatus.PeerLink link = new SubnetStatus.PeerLink(p.outbound(), p.inbound(),
                        version > 0 ? version : null, p.framesSent(), p.framesDropped(), p.framesReceived(),
                        p.lastError().isEmpty() ? null : p.lastError());
                replicas.add(new SubnetStatus.ReplicaRow(m.index(), m.nodeId(), m.publicKey().hex(), address,
                        p.outbound() || p.inbound() ? "connected" : "unreachable", null, null, null, null, null, null,
                        link, missing, installed, null));
            } else {
                // a member its transport cannot hold yet: nothing known beyond the registry
                replicas.add(new SubnetStatus.ReplicaRow(m.index(), m.nodeId(), m.publicKey().hex(), address, null,
                        null, null, null, null, null, null, null, null, null, null));
            }
        }
        return replicas;
    }

    /** The versions the registry enables that a peer's announcement does not list (what it lacks, as it says). */
    static List<String> lacking(Map<String, String> enabled, List<String> announced) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(enabled).forEach((name, version) -> {
            if (!announced.contains(name + "@" + version)) {
                out.add(name + "@" + version);
            }
        });
        return out;
    }
}
