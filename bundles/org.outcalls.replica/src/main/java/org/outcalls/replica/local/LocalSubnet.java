package org.outcalls.replica.local;

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
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.Principals;
import org.outcalls.replica.Member;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.SubnetStatus;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.internal.diag.BlockRate;
import org.outcalls.replica.internal.diag.LatencyHistogram;
import org.outcalls.replica.internal.diag.ObservedTransport;
import org.outcalls.replica.internal.diag.ReplicaCounters;
import org.outcalls.replica.internal.diag.TimedAdapter;
import org.outcalls.replica.internal.node.NodeSetup;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.node.Submissions;
import java.util.function.Consumer;
import org.outcalls.replica.byzantine.Adversary;
import org.outcalls.replica.byzantine.FaultScripts;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * n replicas in this JVM over the live in-JVM network, each with its own key, pool, state and
 * consensus; plus the {@link SubnetNode} view the gateway uses. The subnet starts from a new
 * genesis each time (its id changes), so callback ids and idempotency keys never repeat across runs.
 */
public final class LocalSubnet implements SubnetNode, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSubnet.class);
    /** How long an ingress message the gateway signs stays valid. */
    static final Duration INGRESS_TTL = Duration.ofMinutes(4);

    /** Development fault injection: how the faulty replicas misbehave. */
    public enum Fault {
        NONE(FaultMode.NONE, null),
        CRASH(FaultMode.CRASH, FaultScripts.silentOutcalls()),
        SILENT(FaultMode.SILENT, FaultScripts.silentOutcalls()),
        EQUIVOCATE(FaultMode.EQUIVOCATE, null),
        FORGE(FaultMode.FORGE, FaultScripts.forgeOutcalls()),
        /** Consensus stays honest; the outcall shares lie. */
        FORGE_OUTCALLS(FaultMode.NONE, FaultScripts.forgeOutcalls()),
        /** As block maker, answers open requests with its own one-share item of another policy. */
        FORGE_POLICY(FaultMode.NONE, FaultScripts.forgePolicy()),
        /** Signs extreme decimals and maximal contents in every request. */
        EXTREME_VALUE(FaultMode.NONE, FaultScripts.extremeValue()),
        /** Floods its peers: maximal frames, unknown channels, replayed content requests. */
        FLOOD(FaultMode.NONE, FaultScripts.flood()),
        /** Starts honest, with an {@link Adversary} a test scripts ({@link LocalSubnet#adversary}). */
        SCRIPTED(FaultMode.NONE, a -> { });

        final FaultMode consensus;
        /** Null: no adversary at all. */
        final Consumer<Adversary> script;

        Fault(FaultMode consensus, Consumer<Adversary> script) {
            this.consensus = consensus;
            this.script = script;
        }

        /** The modes {@code outcalls run --fault} accepts, as typed there. */
        public static final String CHOICES = "crash, silent, equivocate, forge, forge-policy, extreme-value, flood";

        public static Fault parse(String mode) {
            try {
                Fault f = valueOf(mode.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                if (f == NONE || f == FORGE_OUTCALLS || f == SCRIPTED) {
                    throw new IllegalArgumentException(mode);
                }
                return f;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fault: '" + mode + "' is not one of " + CHOICES);
            }
        }
    }

    /** What a local subnet is made of. */
    public record Settings(int replicas, int faulty, Fault fault, ConsensusTiming timing, long consensusTimeoutMillis,
                           Map<String, String> enabledPlugins, Map<String, Long> canisters, Path keyDir,
                           NetworkConditions network, long networkSeed) {
        public Settings {
            if (replicas < 1 || replicas > 100) {
                throw new IllegalArgumentException("replicas: " + replicas + " is not within 1..100");
            }
            if (faulty < 0 || faulty >= replicas) {
                throw new IllegalArgumentException("faulty: " + faulty + " is not within 0.." + (replicas - 1));
            }
            if (faulty > 0 && fault == Fault.NONE) {
                throw new IllegalArgumentException("faulty: " + faulty + " replicas need a fault mode");
            }
            enabledPlugins = Map.copyOf(enabledPlugins);
            canisters = Map.copyOf(canisters);
        }

        public int faultTolerance() {
            return (replicas - 1) / 3;
        }
    }

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

    public LocalSubnet(Settings settings, HttpsAdapter adapter, Plugins plugins, CanisterResolver canisters)
            throws IOException {
        this(settings, java.util.Collections.nCopies(settings.replicas(), adapter), plugins, canisters);
    }

    /** With one adapter per replica, in replica order (tests give each its own, to tell their requests apart). */
    public LocalSubnet(Settings settings, List<? extends HttpsAdapter> adapters, Plugins plugins,
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
                    settings.timing(), f.consensus, f.script != null, signing, verifier)));
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (faults.get(i).script != null) {
                faults.get(i).script.accept(nodes.get(i).adversary().orElseThrow());
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

    public Genesis genesis() {
        return genesis;
    }

    /** Each replica's state machine, in replica order. */
    public List<Replica> replicas() {
        return nodes.stream().map(ReplicaNode::replica).toList();
    }

    /** The hash of the block replica {@code i} finalized at {@code height}, or null if it has not (or forgot it). */
    public org.outcalls.crypto.Hash finalizedHash(int i, long height) {
        return nodes.get(i).consensus().finalizedHash(height);
    }

    /** Each replica's finalized height, in replica order. */
    public List<Long> finalizedHeights() {
        return nodes.stream().map(n -> n.consensus().finalizedHeight()).toList();
    }

    /** The plugins ({@code name@version}) that replica {@code i}'s registry enables and that it lacks, sorted. */
    public java.util.SortedSet<String> missingPlugins(int i) {
        return nodes.get(i).missingPlugins();
    }

    /**
     * Development and tests only: replica {@code i} behaves as if the named plugins (transforms,
     * policies or {@code methods}) were not installed, from now on; an empty collection shows it
     * everything again. In one JVM all replicas share the installed plugins, so this is how a local
     * subnet shows what a replica that lacks a plugin does: it reports it, does not fetch or validate
     * what needs it, and never decides differently. Logged at WARN.
     */
    public void hidePlugins(int i, java.util.Collection<String> names) {
        if (i < 0 || i >= nodes.size()) {
            throw new IllegalArgumentException("replica: " + i + " is not within 0.." + (nodes.size() - 1));
        }
        replicaPlugins.get(i).hide(names);
        LOG.warn("development setting: replica {} now runs as if these plugins were not installed: {}", i,
                replicaPlugins.get(i).hidden());
        nodes.get(i).missingPlugins();
    }

    /** The plugin names {@link #hidePlugins} hides from replica {@code i}, sorted. */
    public List<String> hiddenPlugins(int i) {
        return replicaPlugins.get(i).hidden();
    }

    /**
     * The adversary that decides what replica {@code i} sends, if it runs with a scripted fault
     * ({@link Fault#SCRIPTED} or a fault mode that acts through one). Tests only.
     */
    public Optional<Adversary> adversary(int i) {
        return nodes.get(i).adversary();
    }

    /** How many replicas (the last ones) run with an injected fault. */
    public int faultyCount() {
        return settings.faulty();
    }

    public NodeKey adminKey() {
        return adminKey;
    }

    /** The principal {@link #submit} signs as: the gateway's own key, the development identity of loopback calls. */
    public String developmentPrincipal() {
        return Principals.ofKey(gatewayKey.publicKey());
    }

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

    /** Submits an update signed by the given key (the admin key for registry changes). */
    public CompletionStage<String> submitSigned(String canisterId, String method, byte[] argument, NodeKey key) {
        return Submissions.signAndSubmit(front().ingress(), front().consensus()::workAvailable,
                Principals.ofKey(key.publicKey()), () -> sign(canisterId, method, argument, key));
    }

    private IngressMessage sign(String canisterId, String method, byte[] argument, NodeKey key) {
        return IngressMessage.sign(Hash.wrap(genesis.subnetIdBytes()), canisterId, method, argument, nonce.incrementAndGet(),
                System.currentTimeMillis() + INGRESS_TTL.toMillis(), key);
    }

    /**
     * Relays a message signed elsewhere (by {@code outcalls admin}, for instance): decoded, checked
     * (signature, expiry, size) and admitted by the front replica, then gossiped like any other.
     */
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
