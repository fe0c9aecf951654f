package org.outcalls.replica.internal.multihost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.outcalls.replica.cup.CatchUpPackage;
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

    Map<String, Object> toJson() {
        Replica r = node == null ? null : node.replica();
        // syncing: the members its configuration names (a joining replica's are not the genesis')
        SubnetRegistry registry = r == null ? config.genesis().registry().withMembers(config.members()) : r.registry();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("subnet_id", config.subnetId());
        s.put("mode", "multi-host");
        s.put("replica_count", registry.subnetSize());
        s.put("faults_tolerated", registry.faultTolerance());
        s.put("threshold", registry.subnetSize() - registry.faultTolerance());
        s.put("registry_version", registry.version());
        if (node != null) {
            s.put("membership", org.outcalls.replica.internal.node.MembershipStatus.toJson(node.membershipSchedule()));
        }
        s.put("enabled_plugins", new TreeMap<>(registry.plugins()));
        s.put("installed_plugins", plugins.describe());
        Map<String, Object> self = thisReplica(r);
        s.put("this_replica", self);
        Map<String, Object> cycles = new TreeMap<>();
        if (r != null) {
            for (String id : registry.canisters().keySet()) {
                r.cyclesBalance(id).ifPresent(c -> cycles.put(id, c));
            }
        }
        s.put("cycles", cycles);
        cup.ifPresent(c -> s.put("newest_cup", cupJson(c)));
        s.put("store", storeJson());
        List<Map<String, Object>> replicas = replicas(registry, self, r);
        SortedSet<String> missing = new TreeSet<>();
        for (Map<String, Object> row : replicas) {
            if (row.get("missing_plugins") instanceof List<?> l) {
                l.forEach(e -> missing.add(e.toString()));
            }
        }
        s.put("missing_plugins", List.copyOf(missing));
        s.put("replicas", replicas);
        return s;
    }

    private Map<String, Object> thisReplica(Replica r) {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("index", config.replica());
        self.put("node_id", config.member().nodeId());
        self.put("protocol_versions", transport.versions().toString());
        if (node == null) {
            self.put("state", sync.phase() == SyncProgress.Phase.FAILED ? "sync failed" : "syncing");
        } else {
            self.put("state", node.state());
            self.put("finalized_height", node.consensus().finalizedHeight());
            self.put("executed_height", r.height());
            self.put("state_hash", Hash.wrap(r.stateHash()).hex());
            node.waitingFor().ifPresent(w -> self.put("waiting_for", w));
            r.halt().ifPresent(h -> self.put("halted", h.toJson()));
        }
        self.put("state_sync", sync.toJson());
        return self;
    }

    static Map<String, Object> cupJson(CatchUpPackage c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", c.height());
        m.put("block_hash", c.content().blockHash().hex());
        m.put("state_hash", c.content().stateHash().hex());
        m.put("registry_version", c.content().registryVersion());
        m.put("signers", new ArrayList<>(c.signatures().keySet()));
        m.put("committee_size", c.content().n());
        return m;
    }

    private Map<String, Object> storeJson() {
        Map<String, Object> storeInfo = new LinkedHashMap<>();
        storeInfo.put("format", store.format());
        store.chainRange().ifPresent(range -> {
            storeInfo.put("lowest_height", range[0]);
            storeInfo.put("highest_height", range[1]);
        });
        storeInfo.put("checkpoints", store.checkpointHeights());
        storeInfo.put("file_bytes", store.fileBytes());
        return storeInfo;
    }

    private List<Map<String, Object>> replicas(SubnetRegistry registry, Map<String, Object> self, Replica r) {
        List<Map<String, Object>> replicas = new ArrayList<>();
        List<TcpTransport.PeerStatus> peers = transport.peerStatus();
        for (Member m : registry.members()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", m.index());
            row.put("node_id", m.nodeId());
            row.put("public_key", m.publicKey().hex());
            row.put("address", m.hostPort().orElse(""));
            if (m.index() == config.replica()) {
                for (String k : List.of("state", "finalized_height", "executed_height", "state_hash", "halted")) {
                    if (self.containsKey(k)) {
                        row.put(k, self.get(k));
                    }
                }
                if (node != null) {
                    row.put("installed_plugins", node.installedOn(m.index()).orElse(List.of()));
                    row.put("missing_plugins", List.copyOf(node.missingPlugins()));
                }
            } else if (m.index() < peers.size()) {
                if (node != null) {
                    node.installedOn(m.index()).ifPresent(l -> {
                        row.put("installed_plugins", l);
                        row.put("missing_plugins", lacking(registry.plugins(), l));
                    });
                }
                TcpTransport.PeerStatus p = peers.get(m.index());
                row.put("state", p.outbound() || p.inbound() ? "connected" : "unreachable");
                row.put("outbound", p.outbound());
                row.put("inbound", p.inbound());
                if (transport.protocolVersion(m.index()) > 0) {
                    row.put("protocol_version", transport.protocolVersion(m.index()));
                }
                row.put("frames_sent", p.framesSent());
                row.put("frames_dropped", p.framesDropped());
                row.put("frames_received", p.framesReceived());
                if (!p.lastError().isEmpty()) {
                    row.put("last_error", p.lastError());
                }
            }
            replicas.add(row);
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
