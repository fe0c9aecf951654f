package org.outcalls.replica.internal.multihost;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.Member;
import org.outcalls.replica.Principals;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.internal.control.ControlEndpoint;
import org.outcalls.replica.internal.control.DataFolderLock;
import org.outcalls.replica.internal.node.NodeSetup;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.node.Submissions;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.replica.local.Plugins;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.transport.Clock;
import org.outcalls.transport.ProtocolThread;
import org.outcalls.transport.TcpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of a multi-host subnet in this process: its key, its store, the TCP transport to
 * its peers, the replica node, and the {@link SubnetNode} view its gateway serves. Checkpoints the
 * state every {@code checkpoint_interval} heights.
 */
public final class HostedReplica implements SubnetNode, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostedReplica.class);
    static final Duration INGRESS_TTL = Duration.ofMinutes(4);

    private final ReplicaConfig config;
    private final ProtocolThread thread;
    private final ReplicaStore store;
    private final TcpTransport transport;
    private final ReplicaNode node;
    private final TransformRunner transforms;
    private final ExecutorService signing;
    private final ExecutorService queries;
    private final NodeKey gatewayKey;
    private final AtomicLong nonce = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);
    private final AutoCloseable checkpoints;
    private final DataFolderLock lock;
    private final ControlEndpoint control;

    public HostedReplica(ReplicaConfig config, Vertx vertx, HttpsAdapter adapter, Plugins plugins,
                         CanisterResolver canisters) throws Exception {
        this.config = config;
        int self = config.replica();
        NodeKey key = NodeKey.load(config.nodeKey());
        Member me = config.member();
        if (!key.publicKey().equals(me.publicKey())) {
            throw new IllegalStateException("node key " + config.nodeKey() + " is node " + key.publicKey().nodeId()
                    + ", but the genesis makes replica " + self + " node " + me.nodeId() + ": wrong key file for this config");
        }
        Files.createDirectories(config.data());
        this.lock = DataFolderLock.acquire(config.data());
        ReplicaBackup.deleteLeftovers(config.data());
        this.gatewayKey = gatewayKey(config.data().resolve("gateway.key"));
        this.thread = new ProtocolThread("outcalls-replica-" + self);
        ReplicaStore.Settings ss = new ReplicaStore.Settings(config.store().checkpointInterval(),
                config.store().retainHeights(), config.store().retainCheckpoints(), config.store().sync());
        byte[] subnetId = config.genesis().subnetIdBytes();
        try {
            this.store = ReplicaStore.open(config.data().resolve("store"), subnetId, key.publicKey(), ss);
        } catch (IOException | RuntimeException e) {
            thread.close();
            lock.close();
            throw e;
        }
        List<TcpTransport.Peer> peers = new ArrayList<>();
        for (Member m : config.genesis().registry().members()) {
            peers.add(TcpTransport.Peer.of(m.index(), m.publicKey(), m.hostPort().orElseThrow()));
        }
        TcpTransport t;
        try {
            t = TcpTransport.start(vertx, key, self, peers, config.listenHost(), config.listenPort(), subnetId, thread,
                    TcpTransport.Settings.DEFAULT);
        } catch (Exception e) {
            store.close();
            thread.close();
            lock.close();
            throw e;
        }
        this.transport = t;
        int cores = Runtime.getRuntime().availableProcessors();
        this.transforms = new TransformRunner(TransformRunner.Budget.DEFAULT, Math.max(2, cores));
        this.signing = Executors.newFixedThreadPool(Math.max(2, cores), named("outcalls-sign"));
        this.queries = Executors.newFixedThreadPool(2, named("outcalls-query"));
        ConsensusTiming timing = new ConsensusTiming(config.rankDelay(), config.heartbeat(),
                ConsensusTiming.DEFAULT.clockTolerance(), ConsensusTiming.DEFAULT.ancestryDepth());
        this.node = new ReplicaNode(new NodeSetup(config.genesis(), key, transport, thread, Clock.system(), adapter,
                transforms, plugins, canisters, timing, FaultMode.NONE, false, signing,
                new BatchVerifier(65_536)), store);
        this.checkpoints = node.onHeight(this::maybeCheckpoint);
        node.onHeight(() -> org.outcalls.replica.local.PinnedPlugins.release(plugins, List.of(node.replica())));
        node.start();
        this.control = ControlEndpoint.start(config.data(), self, new ReplicaBackup(config, thread, store, node));
        LOG.info("replica {} of subnet {} started: node {}, listening on {}:{}, data {}", self, config.subnetId(),
                me.nodeId(), config.listenHost(), transport.port(), config.data());
    }

    /** Protocol thread, after each executed height (re-executed ones after a restart included). */
    private void maybeCheckpoint() {
        Replica r = node.replica();
        long h = r.height();
        if (store.checkpointDue(h)) {
            long t0 = System.nanoTime();
            byte[] bytes = r.checkpoint();
            store.checkpoint(h, r.stateHash(), bytes);
            LOG.info("replica {}: checkpoint at height {} ({} bytes, {} ms; store file {} bytes)", config.replica(), h,
                    bytes.length, (System.nanoTime() - t0) / 1_000_000, store.fileBytes());
        }
    }

    private static NodeKey gatewayKey(Path file) throws IOException {
        if (Files.exists(file)) {
            return NodeKey.load(file);
        }
        NodeKey k = NodeKey.generate();
        k.save(file);
        return k;
    }

    public ReplicaNode node() {
        return node;
    }

    public TcpTransport transport() {
        return transport;
    }

    @Override
    public CompletionStage<String> submit(String canisterId, String method, byte[] argument) {
        return submit(canisterId, method, argument, Principals.ofKey(gatewayKey.publicKey()));
    }

    @Override
    public CompletionStage<String> submit(String canisterId, String method, byte[] argument, String caller) {
        return Submissions.signAndSubmit(node.ingress(), node.consensus()::workAvailable, caller,
                () -> IngressMessage.sign(Hash.wrap(config.genesis().subnetIdBytes()), canisterId, method, argument,
                        nonce.incrementAndGet(), System.currentTimeMillis() + INGRESS_TTL.toMillis(), gatewayKey));
    }

    @Override
    public CompletionStage<String> submitSigned(byte[] message) {
        return Submissions.outcome(node.ingress().submit(message), node.consensus()::workAvailable);
    }

    @Override
    public CompletionStage<byte[]> query(String canisterId, String method, byte[] argument) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return node.replica().query(canisterId, method, argument);
            } catch (CanisterException e) {
                throw new CompletionException(e);
            }
        }, queries);
    }

    @Override
    public IngressState ingressState(String messageId) {
        Optional<IngressStatus> s = node.replica().ingressStatus(messageId);
        if (s.isPresent()) {
            return switch (s.get().state()) {
                case COMPLETED, DUPLICATE -> new IngressState(IngressState.Status.EXECUTED, "", s.get().height());
                case EXPIRED -> new IngressState(IngressState.Status.EXPIRED, s.get().message(), s.get().height());
                default -> new IngressState(IngressState.Status.FAILED, s.get().message(), s.get().height());
            };
        }
        return node.ingress().isPooled(messageId) ? IngressState.of(IngressState.Status.RECEIVED)
                : IngressState.of(IngressState.Status.UNKNOWN);
    }

    @Override
    public AutoCloseable onHeight(Runnable listener) {
        return node.onHeight(listener);
    }

    @Override
    public org.outcalls.replica.Readiness readiness() {
        Replica r = node.replica();
        SubnetRegistry registry = r.registry();
        List<TcpTransport.PeerStatus> peers = transport.peerStatus();
        boolean[] connected = new boolean[registry.subnetSize()];
        for (int i = 0; i < connected.length && i < peers.size(); i++) {
            connected[i] = peers.get(i).outbound() || peers.get(i).inbound();
        }
        return ReplicaReadiness.judge(new ReplicaReadiness.View(config.replica(), registry.subnetSize(),
                registry.faultTolerance(), r.halt(), node.waitingFor(), node.consensus().finalizedHeight(), r.height(),
                node.consensus().peerFinalizedHeights(), connected));
    }

    @Override
    public Map<String, Object> status() {
        Replica r = node.replica();
        SubnetRegistry registry = r.registry();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("subnet_id", config.subnetId());
        s.put("mode", "multi-host");
        s.put("replica_count", registry.subnetSize());
        s.put("faults_tolerated", registry.faultTolerance());
        s.put("threshold", registry.subnetSize() - registry.faultTolerance());
        s.put("registry_version", registry.version());
        s.put("enabled_plugins", new TreeMap<>(registry.plugins()));
        s.put("missing_plugins", List.copyOf(node.missingPlugins()));
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("index", config.replica());
        self.put("node_id", config.member().nodeId());
        self.put("state", node.state());
        self.put("finalized_height", node.consensus().finalizedHeight());
        self.put("executed_height", r.height());
        self.put("state_hash", Hash.wrap(r.stateHash()).hex());
        node.waitingFor().ifPresent(w -> self.put("waiting_for", w));
        r.halt().ifPresent(h -> self.put("halted", h.toJson()));
        s.put("this_replica", self);
        Map<String, Object> cycles = new TreeMap<>();
        for (String id : registry.canisters().keySet()) {
            r.cyclesBalance(id).ifPresent(c -> cycles.put(id, c));
        }
        s.put("cycles", cycles);
        Map<String, Object> storeInfo = new LinkedHashMap<>();
        store.chainRange().ifPresent(range -> {
            storeInfo.put("lowest_height", range[0]);
            storeInfo.put("highest_height", range[1]);
        });
        storeInfo.put("checkpoints", store.checkpointHeights());
        storeInfo.put("file_bytes", store.fileBytes());
        s.put("store", storeInfo);
        List<Map<String, Object>> replicas = new ArrayList<>();
        List<TcpTransport.PeerStatus> peers = transport.peerStatus();
        for (Member m : registry.members()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", m.index());
            row.put("node_id", m.nodeId());
            row.put("public_key", m.publicKey().hex());
            row.put("address", m.hostPort().orElse(""));
            if (m.index() == config.replica()) {
                row.put("state", self.get("state"));
                row.put("finalized_height", self.get("finalized_height"));
                row.put("executed_height", self.get("executed_height"));
                row.put("state_hash", self.get("state_hash"));
                r.halt().ifPresent(h -> row.put("halted", h.toJson()));
                row.put("installed_plugins", node.installedOn(m.index()).orElse(List.of()));
            } else {
                node.installedOn(m.index()).ifPresent(l -> row.put("installed_plugins", l));
                TcpTransport.PeerStatus p = peers.get(m.index());
                row.put("state", p.outbound() || p.inbound() ? "connected" : "unreachable");
                row.put("outbound", p.outbound());
                row.put("inbound", p.inbound());
                row.put("frames_sent", p.framesSent());
                row.put("frames_dropped", p.framesDropped());
                row.put("frames_received", p.framesReceived());
                if (!p.lastError().isEmpty()) {
                    row.put("last_error", p.lastError());
                }
            }
            replicas.add(row);
        }
        s.put("replicas", replicas);
        return s;
    }

    @Override
    public void close() {
        control.close();
        try {
            checkpoints.close();
        } catch (Exception e) {
            LOG.debug("closing the checkpoint listener", e);
        }
        node.stop();
        transport.close();
        // the protocol thread ends after whatever it is running (a store write completes)
        thread.close();
        store.close();
        transforms.close();
        signing.shutdownNow();
        queries.shutdownNow();
        try {
            lock.close();
        } catch (IOException e) {
            LOG.debug("releasing {}", DataFolderLock.FILE, e);
        }
        LOG.info("replica {} stopped", config.replica());
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
