package org.outcalls.replica.internal.multihost;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.outcalls.replica.internal.ingress.Ingress;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.Member;
import org.outcalls.replica.Principals;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.SubnetStatus;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.internal.control.ControlEndpoint;
import org.outcalls.replica.internal.control.DataFolderLock;
import org.outcalls.replica.internal.node.HeightListeners;
import org.outcalls.replica.internal.node.NodeSetup;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.node.Submissions;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.replica.internal.statesync.CupCollector;
import org.outcalls.replica.internal.statesync.SyncClient;
import org.outcalls.replica.internal.statesync.SyncEndpoint;
import org.outcalls.replica.internal.statesync.SyncFaults;
import org.outcalls.replica.internal.statesync.SyncProgress;
import org.outcalls.replica.internal.statesync.SyncServer;
import org.outcalls.replica.internal.statesync.SyncWire;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.internal.store.StoreSettings;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.replica.local.Plugins;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.transport.Clock;
import org.outcalls.transport.ProtocolThread;
import org.outcalls.transport.TcpTransport;
import org.outcalls.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of a multi-host subnet in this process: its key, its store, the TCP transport to
 * its peers, state sync with its peers, and — once its state is in place — the replica node, and
 * the {@link SubnetNode} view its gateway serves. At start it asks its peers for their newest
 * catch-up package and syncs from them if its store is empty or behind what they keep
 * ({@link SyncClient}); it serves their syncs ({@link SyncServer}) and signs a catch-up package
 * share at every checkpoint ({@link CupCollector}), which it writes every {@code checkpoint_interval}
 * heights.
 */
public final class HostedReplica implements SubnetNode, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostedReplica.class);
    static final Duration INGRESS_TTL = Duration.ofMinutes(4);
    static final Duration SYNC_RETRY = Duration.ofSeconds(10);
    /** How often a running replica asks whether it fell behind what its peers keep. */
    static final Duration BEHIND_CHECK = Duration.ofSeconds(30);

    private final ReplicaConfig config;
    private final NodeKey key;
    private final ProtocolThread thread;
    private final ReplicaStore store;
    private final TcpTransport transport;
    private final TransformRunner transforms;
    private final ExecutorService signing;
    private final ExecutorService queries;
    private final NodeKey gatewayKey;
    private final AtomicLong nonce = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);
    private final NodeSetup setup;
    private final Plugins plugins;
    private final HeightListeners heightListeners = new HeightListeners();
    private final SyncProgress progress = new SyncProgress();
    private final SyncServer syncServer;
    private final SyncEndpoint syncEndpoint;
    private final CupCollector cups;
    private final Checkpoints checkpoints;
    private final DataFolderLock lock;
    private final ControlEndpoint control;
    private volatile ReplicaNode node;
    private volatile boolean closed;

    public HostedReplica(ReplicaConfig config, Vertx vertx, HttpsAdapter adapter, Plugins plugins,
                         CanisterResolver canisters) throws Exception {
        this.config = config;
        this.plugins = plugins;
        int self = config.replica();
        this.key = NodeKey.load(config.nodeKey());
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
        StoreSettings ss = new StoreSettings(config.store().checkpointInterval(),
                config.store().retainHeights(), config.store().retainCheckpoints(), config.store().sync());
        byte[] subnetId = config.genesis().subnetIdBytes();
        try {
            this.store = ReplicaStore.open(config.data().resolve("store"), subnetId, key.publicKey(), ss);
        } catch (IOException | RuntimeException e) {
            thread.close();
            lock.close();
            throw e;
        }
        // the configuration's members: the genesis', or the registry's a joining replica was written with;
        // once the node runs, pinning follows the executed registry (MemberPinning)
        List<TcpTransport.Peer> peers = MemberPinning.peers(config.members());
        TcpTransport t;
        try {
            t = Transports.tcp(vertx, key, self, peers, config.listenHost(), config.listenPort(), subnetId, thread,
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
        this.setup = new NodeSetup(config.genesis(), key, transport, thread, Clock.system(), adapter, transforms, plugins,
                canisters, timing, FaultMode.NONE, false, signing, new BatchVerifier(65_536));
        this.syncServer = new SyncServer(self, TcpTransport.MAX_MEMBERS, store, transport.channel(SyncWire.CHANNEL), Clock.system(),
                this::finalizedHeight, SyncFaults.fromSystemProperties());
        this.syncEndpoint = new SyncEndpoint(self, transport.channel(SyncWire.CHANNEL), syncServer);
        this.cups = new CupCollector(self, key, transport.channel(CupCollector.CHANNEL), thread, store);
        this.checkpoints = new Checkpoints(self, store, cups, Hash.wrap(subnetId));
        cups.start();
        thread.execute(this::syncThenStart);
        this.control = ControlEndpoint.start(config.data(), self, new ReplicaBackup(config, thread, store, () -> node));
        LOG.info("replica {} of subnet {} started: node {}, listening on {}:{}, data {}", self, config.subnetId(),
                me.nodeId(), config.listenHost(), transport.port(), config.data());
    }

    /** Protocol thread: a state sync if the store is empty or behind the peers, then the node. */
    private void syncThenStart() {
        if (closed) {
            return;
        }
        SyncClient client = new SyncClient(config.replica(), Hash.wrap(config.genesis().subnetIdBytes()),
                config.members().stream().map(Member::publicKey).toList(), ReplicaStore.SYNC_ANCESTRY, store,
                transport.channel(SyncWire.CHANNEL), thread, Clock.system(), progress);
        syncEndpoint.client(client);
        client.run(outcome -> {
            syncEndpoint.client(null);
            if (outcome.failed()) {
                thread.schedule(SYNC_RETRY, () -> {
                    progress.restart();
                    syncThenStart();
                });
                return;
            }
            outcome.installed().ifPresent(cups::installed);
            startNode();
        });
    }

    /** Protocol thread: the node from the store (its newest checkpoint, then the stored blocks above it). */
    private void startNode() {
        if (closed) {
            return;
        }
        ReplicaNode n = new ReplicaNode(setup, store);
        checkpoints.resumed(n.replica());
        n.onHeight(() -> checkpoints.maybeCheckpoint(n.replica()));
        n.onHeight(() -> org.outcalls.replica.internal.local.PinnedPlugins.release(plugins, List.of(n.replica())));
        n.onHeight(heightListeners::fire);
        n.onMembershipChange(s -> transport.updateMembers(MemberPinning.peers(s)));
        transport.updateMembers(MemberPinning.peers(n.membershipSchedule())); // the store may be newer than the config
        node = n;
        n.start();
        LOG.info("replica {}: node started at height {}", config.replica(), n.replica().height());
        thread.schedule(BEHIND_CHECK, () -> checkBehind(n));
    }

    /**
     * Protocol thread: a running replica that fell behind what f + 1 of its peers keep (a long
     * partition, say) cannot catch up block by block; it stops its node and syncs, then starts again.
     */
    private void checkBehind(ReplicaNode running) {
        if (closed || node != running) {
            return;
        }
        SyncClient check = new SyncClient(config.replica(), Hash.wrap(config.genesis().subnetIdBytes()),
                running.replica().registry().memberKeys(), ReplicaStore.SYNC_ANCESTRY, store,
                transport.channel(SyncWire.CHANNEL), thread, Clock.system(), new SyncProgress());
        syncEndpoint.client(check);
        check.check(outcome -> {
            syncEndpoint.client(null);
            if (closed || node != running) {
                return;
            }
            if (outcome.failed()) {
                LOG.warn("replica {}: behind its peers ({}): stopping the node for a state sync", config.replica(),
                        outcome.failure());
                node = null;
                running.stop();
                progress.restart();
                syncThenStart();
            } else {
                thread.schedule(BEHIND_CHECK, () -> checkBehind(running));
            }
        });
    }

    private long finalizedHeight() {
        ReplicaNode n = node;
        return n != null ? n.consensus().finalizedHeight() : store.chainRange().map(r -> r[1]).orElse(0L);
    }

    private static NodeKey gatewayKey(Path file) throws IOException {
        if (Files.exists(file)) {
            return NodeKey.load(file);
        }
        NodeKey k = NodeKey.generate();
        k.save(file);
        return k;
    }

    /** The running node, if the state is in place. */
    public Optional<ReplicaNode> node() {
        return Optional.ofNullable(node);
    }

    public TcpTransport transport() {
        return transport;
    }

    /** The newest catch-up package this replica has, if any. */
    public Optional<CatchUpPackage> newestCup() {
        return cups.newest();
    }

    @Override
    public Optional<byte[]> catchUpPackage() {
        return cups.newest().map(CatchUpPackage::encode);
    }

    private ReplicaNode running() {
        ReplicaNode n = node;
        if (n == null) {
            throw new IllegalStateException("replica " + config.replica() + " is syncing its state from its peers ("
                    + progress.phase().name().toLowerCase(java.util.Locale.ROOT) + "); try another replica or later");
        }
        return n;
    }

    @Override
    public CompletionStage<String> submit(String canisterId, String method, byte[] argument) {
        return submit(canisterId, method, argument, Principals.ofKey(gatewayKey.publicKey()));
    }

    @Override
    public CompletionStage<String> submit(String canisterId, String method, byte[] argument, String caller) {
        ReplicaNode n;
        try {
            n = running();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return Submissions.signAndSubmit(n.ingress(), n.consensus()::workAvailable, caller,
                () -> IngressMessage.sign(Hash.wrap(config.genesis().subnetIdBytes()), canisterId, method, argument,
                        nonce.incrementAndGet(), System.currentTimeMillis() + INGRESS_TTL.toMillis(), gatewayKey));
    }

    @Override
    public CompletionStage<String> submitSigned(byte[] message) {
        ReplicaNode n;
        try {
            n = running();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return Submissions.outcome(n.ingress().submit(message), n.consensus()::workAvailable);
    }

    @Override
    public CompletionStage<byte[]> query(String canisterId, String method, byte[] argument) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return running().replica().query(canisterId, method, argument);
            } catch (CanisterException e) {
                throw new CompletionException(e);
            }
        }, queries);
    }

    @Override
    public IngressState ingressState(String messageId) {
        ReplicaNode n = node;
        if (n == null) {
            return IngressState.of(IngressState.Status.UNKNOWN);
        }
        Optional<IngressStatus> s = n.replica().ingressStatus(messageId);
        if (s.isPresent()) {
            return switch (s.get().state()) {
                case COMPLETED, DUPLICATE -> new IngressState(IngressState.Status.EXECUTED, "", s.get().height());
                case EXPIRED -> new IngressState(IngressState.Status.EXPIRED, s.get().message(), s.get().height());
                default -> new IngressState(IngressState.Status.FAILED, s.get().message(), s.get().height());
            };
        }
        return n.ingress().isPooled(messageId) ? IngressState.of(IngressState.Status.RECEIVED)
                : IngressState.of(IngressState.Status.UNKNOWN);
    }

    @Override
    public AutoCloseable onHeight(Runnable listener) {
        return heightListeners.add(listener);
    }

    @Override
    public org.outcalls.replica.Readiness readiness() {
        ReplicaNode n = node;
        if (n == null) {
            return org.outcalls.replica.Readiness.of(List.of("syncing its state from its peers ("
                    + progress.phase().name().toLowerCase(java.util.Locale.ROOT) + ")"),
                    Map.of("replica", config.replica()));
        }
        Replica r = n.replica();
        SubnetRegistry registry = r.registry();
        List<TcpTransport.PeerStatus> peers = transport.peerStatus();
        boolean[] connected = new boolean[registry.subnetSize()];
        for (int i = 0; i < connected.length && i < peers.size(); i++) {
            connected[i] = peers.get(i).outbound() || peers.get(i).inbound();
        }
        return ReplicaReadiness.judge(new ReplicaReadiness.View(config.replica(), registry.subnetSize(),
                registry.faultTolerance(), r.halt(), n.waitingFor(), n.consensus().finalizedHeight(), r.height(),
                n.consensus().peerFinalizedHeights(), connected));
    }

    @Override
    public SubnetStatus status() {
        return new HostedStatus(config, store, transport, node, progress, cups.newest(), plugins).toStatus();
    }

    @Override
    public void close() {
        closed = true;
        control.close();
        ReplicaNode n = node;
        if (n != null) {
            n.stop();
        }
        cups.stop();
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
