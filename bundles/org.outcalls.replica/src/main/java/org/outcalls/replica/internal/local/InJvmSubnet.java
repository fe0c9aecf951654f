package org.outcalls.replica.internal.local;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.Principals;
import org.outcalls.replica.Replica;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.SubnetStatus;
import org.outcalls.replica.byzantine.Adversary;
import org.outcalls.replica.byzantine.FaultScripts;
import org.outcalls.replica.internal.diag.BlockRate;
import org.outcalls.replica.internal.diag.LatencyHistogram;
import org.outcalls.replica.internal.diag.ObservedTransport;
import org.outcalls.replica.internal.diag.TimedAdapter;
import org.outcalls.replica.internal.node.NodeSetup;
import org.outcalls.replica.internal.node.ReplicaCounters;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.node.Submissions;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.replica.local.LocalSubnet.Fault;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.replica.local.Plugins;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link LocalSubnet} {@link org.outcalls.replica.local.LocalSubnets} starts: a {@link ReplicaNode} per replica on one live network. */
public final class InJvmSubnet implements LocalSubnet {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSubnet.class);
    /** How long an ingress message the gateway signs stays valid. */
    static final Duration INGRESS_TTL = Duration.ofMinutes(4);

    private final Settings settings;
    private final Genesis genesis;
    private final LiveNetwork network;
    private final List<ReplicaNode> nodes = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final NodeKey gatewayKey;
    private final NodeKey adminKey;
    private final TransformRunner transforms;
    private final ExecutorService signing;
    private final ExecutorService queries;
    private final Plugins plugins;
    private final List<ReplicaPlugins> replicaPlugins = new ArrayList<>();
    private final AtomicLong nonce = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);
    /** The replica the gateway talks to: the first, which is never one of the faulty (the last ones). */
    private final int front = 0;
    private final List<ObservedTransport> transports = new ArrayList<>();
    private final LatencyHistogram fetchLatency = new LatencyHistogram();
    private final BlockRate blockRate = new BlockRate(Diagnostics.RATE_WINDOW_SECONDS * 1_000_000_000L);

    public InJvmSubnet(Settings settings, HttpsAdapter adapter, Plugins plugins, CanisterResolver canisters)
            throws IOException {
        this(settings, java.util.Collections.nCopies(settings.replicas(), adapter), plugins, canisters);
    }

    /** With one adapter per replica, in replica order (tests give each its own, to tell their requests apart). */
    public InJvmSubnet(Settings settings, List<? extends HttpsAdapter> adapters, Plugins plugins,
                       CanisterResolver canisters) throws IOException {
        if (adapters.size() != settings.replicas()) {
            throw new IllegalArgumentException("adapters: " + adapters.size() + " for " + settings.replicas() + " replicas");
        }
        this.settings = settings;
        this.plugins = plugins;
        List<NodeKey> keys = new ArrayList<>();
        for (int i = 0; i < settings.replicas(); i++) {
            keys.add(LocalResources.key(settings.keyDir(), "replica-" + i + ".key"));
        }
        this.gatewayKey = LocalResources.key(settings.keyDir(), "gateway.key");
        this.adminKey = LocalResources.key(settings.keyDir(), "admin.key");
        Genesis.Builder g = Genesis.builder().timeMillis(System.currentTimeMillis()).admin(adminKey.publicKey())
                .consensusTimeoutMillis(settings.consensusTimeoutMillis());
        keys.forEach(k -> g.member(k.publicKey(), null));
        settings.enabledPlugins().forEach(g::plugin);
        settings.canisters().forEach(g::canister);
        this.genesis = g.build();
        this.network = Transports.live(settings.replicas(), settings.network(), settings.networkSeed());
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.transforms = LocalResources.sharedTransformRunner(settings.replicas(), workers);
        this.signing = Executors.newFixedThreadPool(workers, LocalResources.named("outcalls-sign"));
        this.queries = Executors.newFixedThreadPool(2, LocalResources.named("outcalls-query"));
        BatchVerifier verifier = new BatchVerifier(65_536);
        for (int i = 0; i < settings.replicas(); i++) {
            Fault f = i >= settings.replicas() - settings.faulty() ? settings.fault() : Fault.NONE;
            faults.add(f);
            ObservedTransport transport = new ObservedTransport(network.transport(i));
            transports.add(transport);
            ReplicaPlugins view = new ReplicaPlugins(plugins);
            replicaPlugins.add(view);
            nodes.add(new ReplicaNode(new NodeSetup(genesis, keys.get(i), transport, network.scheduler(i),
                    network.clock(i), new TimedAdapter(adapters.get(i), fetchLatency), transforms, view, canisters,
                    settings.timing(), f.consensus(), f.script() != null, signing, verifier)));
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (faults.get(i).script() != null) {
                faults.get(i).script().accept(nodes.get(i).adversary().orElseThrow());
            }
        }
        nodes.get(front).onHeight(blockRate::executed);
        nodes.get(front).onHeight(() -> PinnedPlugins.release(plugins, replicas()));
        for (ReplicaNode n : nodes) {
            n.start();
        }
        LOG.info("local subnet {} started: {} replicas, f = {}{}", genesis.subnetId(), settings.replicas(),
                settings.faultTolerance(), settings.faulty() > 0 ? ", " + settings.faulty() + " faulty (" + settings.fault() + ")" : "");
    }

    @Override
    public Genesis genesis() {
        return genesis;
    }

    @Override
    public List<Replica> replicas() {
        return nodes.stream().map(ReplicaNode::replica).toList();
    }

    @Override
    public org.outcalls.crypto.Hash finalizedHash(int i, long height) {
        return nodes.get(i).consensus().finalizedHash(height);
    }

    @Override
    public List<Long> finalizedHeights() {
        return nodes.stream().map(n -> n.consensus().finalizedHeight()).toList();
    }

    @Override
    public java.util.SortedSet<String> missingPlugins(int i) {
        return nodes.get(i).missingPlugins();
    }

    @Override
    public void hidePlugins(int i, java.util.Collection<String> names) {
        if (i < 0 || i >= nodes.size()) {
            throw new IllegalArgumentException("replica: " + i + " is not within 0.." + (nodes.size() - 1));
        }
        replicaPlugins.get(i).hide(names);
        LOG.warn("development setting: replica {} now runs as if these plugins were not installed: {}", i,
                replicaPlugins.get(i).hidden());
        nodes.get(i).missingPlugins();
    }

    @Override
    public List<String> hiddenPlugins(int i) {
        return replicaPlugins.get(i).hidden();
    }

    @Override
    public Optional<Adversary> adversary(int i) {
        return nodes.get(i).adversary();
    }

    @Override
    public int faultyCount() {
        return settings.faulty();
    }

    @Override
    public NodeKey adminKey() {
        return adminKey;
    }

    @Override
    public String developmentPrincipal() {
        return Principals.ofKey(gatewayKey.publicKey());
    }

    @Override
    public LiveNetwork network() {
        return network;
    }

    ReplicaNode front() {
        return nodes.get(front);
    }

    @Override
    public CompletionStage<String> submit(String canisterId, String method, byte[] argument) {
        return submit(canisterId, method, argument, developmentPrincipal());
    }

    @Override
    public CompletionStage<String> submit(String canisterId, String method, byte[] argument, String caller) {
        return Submissions.signAndSubmit(front().ingress(), front().consensus()::workAvailable, caller,
                () -> sign(canisterId, method, argument, gatewayKey));
    }

    @Override
    public CompletionStage<String> submitSigned(String canisterId, String method, byte[] argument, NodeKey key) {
        return Submissions.signAndSubmit(front().ingress(), front().consensus()::workAvailable,
                Principals.ofKey(key.publicKey()), () -> sign(canisterId, method, argument, key));
    }

    private IngressMessage sign(String canisterId, String method, byte[] argument, NodeKey key) {
        return IngressMessage.sign(Hash.wrap(genesis.subnetIdBytes()), canisterId, method, argument, nonce.incrementAndGet(),
                System.currentTimeMillis() + INGRESS_TTL.toMillis(), key);
    }

    @Override
    public CompletionStage<String> submitSigned(byte[] message) {
        return Submissions.outcome(front().ingress().submit(message), front().consensus()::workAvailable);
    }

    @Override
    public CompletionStage<byte[]> query(String canisterId, String method, byte[] argument) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return front().replica().query(canisterId, method, argument);
            } catch (org.outcalls.api.canister.CanisterException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, queries);
    }

    @Override
    public IngressState ingressState(String messageId) {
        Replica r = front().replica();
        Optional<IngressStatus> s = r.ingressStatus(messageId);
        if (s.isPresent()) {
            long height = s.get().height();
            return switch (s.get().state()) {
                case COMPLETED, DUPLICATE -> new IngressState(IngressState.Status.EXECUTED, "", height);
                case EXPIRED -> new IngressState(IngressState.Status.EXPIRED, s.get().message(), height);
                default -> new IngressState(IngressState.Status.FAILED, s.get().message(), height);
            };
        }
        return front().ingress().isPooled(messageId) ? IngressState.of(IngressState.Status.RECEIVED)
                : IngressState.of(IngressState.Status.UNKNOWN);
    }

    @Override
    public AutoCloseable onHeight(Runnable listener) {
        return front().onHeight(listener);
    }

    @Override
    public SubnetStatus status() {
        Replica r = front().replica();
        SubnetRegistry registry = r.registry();
        java.util.SortedSet<String> missing = new java.util.TreeSet<>();
        List<SubnetStatus.ReplicaRow> rows = new ArrayList<>();
        Map<Long, String> hashAt = new TreeMap<>();
        boolean agree = true;
        for (int i = 0; i < nodes.size(); i++) {
            ReplicaNode n = nodes.get(i);
            SubnetStatus.ReplicaRow row = LocalStatusRow.of(i, registry.members().get(i), n, replicaState(i),
                    faults.get(i), replicaPlugins.get(i));
            missing.addAll(row.missingPlugins());
            if (faults.get(i) == Fault.NONE) {
                String seen = hashAt.putIfAbsent(row.executedHeight(), row.stateHash());
                agree &= seen == null || seen.equals(row.stateHash());
            }
            rows.add(row);
        }
        // one JVM: no mode, no replica of its own, no store or catch-up package to show
        return new SubnetStatus(genesis.subnetId(), null, settings.replicas(), settings.faultTolerance(),
                settings.replicas() - settings.faultTolerance(), registry.version(),
                org.outcalls.replica.internal.node.MembershipStatus.toJson(front().membershipSchedule()),
                new TreeMap<>(registry.plugins()), plugins.describe(), null, null, null, null, List.copyOf(missing),
                agree, rows);
    }

    @Override
    public CompletionStage<String> enablePlugin(String name, String version) {
        return admin(ManagementCanister.ENABLE_PLUGIN, name, version);
    }

    @Override
    public CompletionStage<String> disablePlugin(String name, String version) {
        return admin(ManagementCanister.DISABLE_PLUGIN, name, version);
    }

    /**
     * Signs {@code enable_plugin}/{@code disable_plugin} with this subnet's admin key and submits it.
     * Enabling without a version takes the version installed here, if exactly one is.
     */
    private CompletionStage<String> admin(String method, String name, String version) {
        if (name == null || name.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(method + ": name the plugin"));
        }
        String v = version == null || version.isBlank() ? null : version.strip();
        if (v == null && ManagementCanister.ENABLE_PLUGIN.equals(method)) {
            List<String> installed = plugins.installedVersions(name.strip());
            if (installed.size() != 1) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(method + ": " + (installed.isEmpty()
                        ? "no plugin '" + name.strip() + "' is installed here; give name@version"
                        : "'" + name.strip() + "' is installed at versions " + installed + "; give name@version")));
            }
            v = installed.get(0);
        }
        String argument = name.strip() + (v == null ? "" : "@" + v);
        return submitSigned(ManagementCanister.ID, method, argument.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                adminKey);
    }

    @Override
    public Diagnostics diagnostics() {
        java.util.concurrent.CompletableFuture<Object[]> inFlight = new CompletableFuture<>();
        front().outcalls().inFlight((groups, shares) -> inFlight.complete(new Object[] {groups, shares}));
        long silence = settings.timing().heartbeat().toNanos() * 3 + settings.timing().rankDelay().toNanos() * 3;
        long maxFinalized = nodes.stream().mapToLong(n -> n.consensus().finalizedHeight()).max().orElse(0);
        Replica r0 = front().replica();
        SubnetRegistry registry = r0.registry();
        List<Diagnostics.ReplicaView> views = new ArrayList<>();
        Map<Long, String> hashAt = new TreeMap<>();
        boolean agree = true;
        for (int i = 0; i < nodes.size(); i++) {
            ReplicaNode n = nodes.get(i);
            var m = n.consensus().metrics();
            long height = n.replica().height();
            String hash = org.outcalls.crypto.Hash.wrap(n.replica().stateHash()).hex();
            if (faults.get(i) == Fault.NONE) {
                String seen = hashAt.putIfAbsent(height, hash);
                agree &= seen == null || seen.equals(hash);
            }
            Map<String, Long> pools = new TreeMap<>();
            pools.put("ingress_messages", (long) n.ingress().pooled());
            pools.put("outcall_contexts", (long) n.outcalls().openCount());
            Map<String, Long> counters = ReplicaCounters.of(n, m);
            List<String> missing = List.copyOf(n.missingPlugins());
            views.add(new Diagnostics.ReplicaView(i, replicaState(i), faults.get(i).name().toLowerCase(java.util.Locale.ROOT),
                    n.consensus().finalizedHeight(), m.notarizedHeight(), height,
                    maxFinalized - n.consensus().finalizedHeight(), hash, pools, counters,
                    transports.get(i).peers(silence), missing));
        }
        Map<Long, List<Diagnostics.ShareGroup>> groups = Map.of();
        try {
            Object[] got = inFlight.get(2, java.util.concurrent.TimeUnit.SECONDS);
            @SuppressWarnings("unchecked")
            Map<Long, List<Diagnostics.ShareGroup>> g = (Map<Long, List<Diagnostics.ShareGroup>>) got[0];
            groups = g;
            Map<String, Long> frontPools = new TreeMap<>(views.get(front).pools());
            frontPools.put("outcall_shares", ((Integer) got[1]).longValue());
            Diagnostics.ReplicaView v = views.get(front);
            views.set(front, new Diagnostics.ReplicaView(v.index(), v.state(), v.fault(), v.finalizedHeight(),
                    v.notarizedHeight(), v.executedHeight(), v.lag(), v.stateHash(), frontPools, v.counters(), v.peers(),
                    v.missingPlugins()));
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.debug("in-flight outcalls not read in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long now = System.currentTimeMillis();
        List<Diagnostics.InFlight> open = new ArrayList<>();
        for (RequestContext rc : r0.openContexts().values()) {
            open.add(new Diagnostics.InFlight(rc.callbackId(), rc.messageId(), rc.request().url(), rc.request().method().name(),
                    rc.policy() + "@" + rc.policyVersion(), rc.height(), Math.max(0, now - rc.requestTime()),
                    groups.getOrDefault(rc.callbackId(), List.of())));
        }
        var od = front().outcalls().diagnostics();
        return new Diagnostics(now, views, agree, blockRate.perSecond(), open, od.recent(), od.noConsensus(),
                od.outcomes(), od.endToEnd(), fetchLatency.snapshot());
    }

    private String replicaState(int i) {
        return faults.get(i) == Fault.CRASH ? "crashed" : nodes.get(i).state();
    }

    @Override
    public void close() {
        for (ReplicaNode n : nodes) {
            n.stop();
        }
        network.close();
        transforms.close();
        signing.shutdownNow();
        queries.shutdownNow();
        LOG.info("local subnet {} stopped", genesis.subnetId());
    }
}
