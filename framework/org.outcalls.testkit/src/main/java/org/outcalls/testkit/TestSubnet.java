package org.outcalls.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.adapter.HttpsAdapters;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.canister.Canister;
import org.outcalls.canister.proxy.ProxyCanisters;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.replica.local.DevelopmentAccounts;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.replica.local.LocalSubnets;
import org.outcalls.replica.local.Plugins;
import org.outcalls.testkit.origin.ScriptedOrigin;
import org.outcalls.transport.NetworkConditions;

/**
 * An in-JVM subnet of n replicas for tests: real consensus, real HTTPS fetches through the real
 * adapter, the plugins and canisters the test gives it, and the proxy canister for making
 * outcalls the way REST clients do. Each replica tags its requests with
 * {@link ScriptedOrigin#REPLICA_HEADER} so a scripted origin can answer replicas differently.
 */
public final class TestSubnet implements AutoCloseable {
    /** The version of a plugin given without one ({@link Builder#plugin(Object)}). */
    public static final String DEFAULT_PLUGIN_VERSION = "1.0.0";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** How long {@link #submit} keeps trying while the subnet is busy. */
    public static final int BUSY_RETRY_SECONDS = 120;

    private final Vertx vertx;
    private final List<HttpsAdapters.Closeable> adapters = new ArrayList<>();
    private final LocalSubnet subnet;
    private final InstalledPlugins installed;
    private final Plugins plugins;

    private TestSubnet(Builder b) throws Exception {
        this.vertx = Vertx.vertx();
        Map<String, Object> adapterConfig = new HashMap<>(b.adapterConfig);
        if (b.origin != null) {
            adapterConfig.put("trustCa", new String[] {b.origin.caPem().toString()});
            adapterConfig.put("allowTargets", new String[] {"127.0.0.1", "::1"});
        }
        for (int i = 0; i < b.replicas; i++) {
            adapters.add(HttpsAdapters.create(vertx, adapterConfig));
        }
        Map<String, Long> canisters = new TreeMap<>();
        Map<String, Canister> byId = new HashMap<>();
        for (Map.Entry<String, Canister> c : b.canisters.entrySet()) {
            canisters.put(c.getKey(), b.cycles);
            byId.put(c.getKey(), c.getValue());
        }
        LocalSubnet.Settings settings = new LocalSubnet.Settings(b.replicas, b.faulty, b.fault, b.timing,
                b.consensusTimeout.toMillis(), b.enabledPlugins, canisters, null, b.network, b.seed);
        List<HttpsAdapter> perReplica = new ArrayList<>();
        for (int i = 0; i < b.replicas; i++) {
            perReplica.add(tagged(adapters.get(i), i, b.tagReplicas));
        }
        this.installed = new InstalledPlugins(b.plugins);
        this.plugins = installed.live();
        this.subnet = LocalSubnets.start(settings, perReplica, plugins, id -> Optional.ofNullable(byId.get(id)));
        if (b.developmentCycles > 0) {
            try {
                topUp(subnet.developmentPrincipal(), b.developmentCycles);
            } catch (RuntimeException | InterruptedException e) {
                close();
                throw e;
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The subnet as the gateway sees it. */
    public SubnetNode node() {
        return subnet;
    }

    public LocalSubnet subnet() {
        return subnet;
    }

    /**
     * Credits a caller's account in the proxy canister, as the subnet's admin ({@code top_up}), and
     * waits for the block that executes it. {@link #submit} signs as {@link LocalSubnet#developmentPrincipal()},
     * which the builder credits unless told otherwise ({@link Builder#developmentCycles}).
     */
    public void topUp(String principal, long cycles) throws InterruptedException {
        DevelopmentAccounts.credit(subnet, new TreeMap<>(Map.of(principal, cycles)), Duration.ofSeconds(30));
    }

    /**
     * Submits an outcall through the proxy canister (a REST request document); returns its id. Like
     * a polite client, it tries again while the subnet refuses new work as busy
     * ({@link org.outcalls.replica.SubnetBusyException}), for at most {@value #BUSY_RETRY_SECONDS} s.
     */
    public String submit(String requestJson) {
        byte[] argument;
        try {
            argument = org.outcalls.canister.proxy.OutcallJson.writeArgument(
                    org.outcalls.canister.proxy.OutcallJson.parseRequest(requestJson.getBytes(StandardCharsets.UTF_8)));
        } catch (org.outcalls.canister.proxy.RequestJsonException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUSY_RETRY_SECONDS);
        while (true) {
            try {
                return join(subnet.submit(ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_OUTCALL, argument));
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof org.outcalls.replica.SubnetBusyException) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The proxy's record of an outcall now (status pending, completed or rejected), or empty if it has none yet. */
    public Optional<JsonNode> record(String id) {
        try {
            byte[] r = join(subnet.query(ProxyProtocol.CANISTER_ID, ProxyProtocol.QUERY_GET, id.getBytes(StandardCharsets.UTF_8)));
            return Optional.of(MAPPER.readTree(r));
        } catch (CompletionException e) {
            if (e.getCause() != null && String.valueOf(e.getCause().getMessage()).startsWith(ProxyProtocol.NOT_FOUND_PREFIX)) {
                return Optional.empty();
            }
            throw e;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the outcall is completed or rejected. */
    public JsonNode await(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> r = record(id);
            if (r.isPresent() && !ProxyProtocol.STATUS_PENDING.equals(r.get().path("status").asText())) {
                return r.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("outcall " + id + " has no result after " + timeout + "; now: " + record(id));
    }

    /** Submits and waits (60 s at most). */
    public JsonNode call(String requestJson) throws InterruptedException {
        return await(submit(requestJson), Duration.ofSeconds(60));
    }

    /** Waits until every honest replica has executed at least this height. */
    public void awaitHeight(long height, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (honest().stream().allMatch(r -> r.height() >= height)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("replicas did not reach height " + height + " within " + timeout);
    }

    /** Honest replicas that executed the same height have the same state hash, at every height they remember. */
    public boolean stateHashesAgree() {
        Map<Long, Hash> seen = new HashMap<>();
        for (Replica r : honest()) {
            long top = r.height();
            for (long h = Math.max(1, top - 1000); h <= top; h++) {
                Optional<byte[]> hash = r.stateHash(h);
                if (hash.isPresent()) {
                    Hash prior = seen.putIfAbsent(h, Hash.wrap(hash.get()));
                    if (prior != null && !prior.equals(Hash.wrap(hash.get()))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * The adversary of faulty replica {@code i} (started with {@code faulty(k, Fault.SCRIPTED)} or a
     * scripted fault mode): what it signs, proposes and sends is then the test's to decide.
     */
    public org.outcalls.replica.byzantine.Adversary adversary(int i) {
        return subnet.adversary(i).orElseThrow(() -> new IllegalArgumentException("replica " + i
                + " is not scripted: start the subnet with faulty(k, LocalSubnet.Fault.SCRIPTED)"));
    }

    /**
     * Installs a plugin (a {@code Transform}, {@code AgreementPolicy} or {@code MethodSupport}) at
     * {@code version} on every replica while the subnet runs, beside any other version of it, as
     * dropping a bundle of that version into {@code plugins/} does. Its name comes from its
     * {@code @TransformName} or {@code @PolicyName}. It serves requests once the registry enables
     * its version ({@code node().enablePlugin(name, version)}).
     *
     * @throws IllegalArgumentException if the plugin implements no SPI, lacks its name annotation, or
     *                                  the version is not {@code major.minor.micro}
     */
    public void install(Object plugin, String version) {
        installed.add(plugin, version);
    }

    /**
     * Removes this plugin object from every replica while the subnet runs, as removing its bundle
     * does: requests made under its version still get it until they close, then it is released.
     */
    public void uninstall(Object plugin) {
        installed.remove(plugin, plugins);
    }

    /** How many removed plugin versions are still kept for the requests that pin them. */
    public int retiredPlugins() {
        return plugins.retiredCount();
    }

    /** The replicas running without injected faults. */
    public List<Replica> honest() {
        List<Replica> out = new ArrayList<>();
        List<Replica> all = subnet.replicas();
        int faulty = subnet.faultyCount();
        for (int i = 0; i < all.size() - faulty; i++) {
            out.add(all.get(i));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        subnet.close();
        adapters.forEach(HttpsAdapters.Closeable::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpsAdapter tagged(HttpsAdapter adapter, int replica, boolean tag) {
        if (!tag) {
            return adapter;
        }
        return request -> {
            List<HttpHeader> headers = new ArrayList<>(request.headers());
            headers.add(new HttpHeader(ScriptedOrigin.REPLICA_HEADER, Integer.toString(replica)));
            java.util.concurrent.CompletionStage<FetchResult> r = adapter.fetch(request.withHeaders(headers));
            return r;
        };
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    /** Configures a test subnet. */
    public static final class Builder {
        private int replicas = 4;
        private int faulty;
        private LocalSubnet.Fault fault = LocalSubnet.Fault.NONE;
        private ConsensusTiming timing = new ConsensusTiming(Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofSeconds(2), 64);
        private Duration consensusTimeout = Duration.ofSeconds(60);
        private final InstalledPlugins plugins = new InstalledPlugins();
        private final Map<String, String> enabledPlugins = new TreeMap<>();
        private final Map<String, Canister> canisters = new TreeMap<>();
        private final Map<String, Object> adapterConfig = new HashMap<>();
        private long cycles = 100_000_000_000_000_000L;
        private ScriptedOrigin origin;
        private boolean tagReplicas = true;
        private NetworkConditions network = NetworkConditions.perfect();
        private long seed = 1;
        private long developmentCycles = 10_000_000_000_000_000L;

        private Builder() {
            canisters.put(ProxyProtocol.CANISTER_ID, ProxyCanisters.create());
        }

        public Builder replicas(int n) {
            this.replicas = n;
            return this;
        }

        /** The last {@code k} replicas misbehave. */
        public Builder faulty(int k, LocalSubnet.Fault mode) {
            this.faulty = k;
            this.fault = mode;
            return this;
        }

        public Builder timing(ConsensusTiming timing) {
            this.timing = timing;
            return this;
        }

        public Builder consensusTimeout(Duration timeout) {
            this.consensusTimeout = timeout;
            return this;
        }

        /**
         * Installs a plugin (a {@code Transform}, {@code AgreementPolicy} or {@code MethodSupport})
         * on every replica at {@code version}, as a bundle of that version would be; it serves
         * requests once {@link #enable}d (or {@link #enableInstalled}). Its name comes from its
         * {@code @TransformName} or {@code @PolicyName} ({@code methods} for a {@code MethodSupport}).
         *
         * @param version {@code major.minor.micro}, what the host would take from the plugin's bundle
         * @throws IllegalArgumentException if the plugin implements no SPI, lacks its name annotation,
         *                                  or the version is not {@code major.minor.micro}
         */
        public Builder plugin(Object plugin, String version) {
            plugins.add(plugin, version);
            return this;
        }

        /** {@link #plugin(Object, String)} at version {@value TestSubnet#DEFAULT_PLUGIN_VERSION}. */
        public Builder plugin(Object plugin) {
            return plugin(plugin, DEFAULT_PLUGIN_VERSION);
        }

        /** Enables a policy, transform or {@code methods} in the initial registry at a version. */
        public Builder enable(String name, String version) {
            enabledPlugins.put(name, version);
            return this;
        }

        /**
         * Enables every policy and transform given with {@link #plugin} at its own version (of several
         * versions of one, the last given), and methods if given.
         */
        public Builder enableInstalled() {
            plugins.enableAll(enabledPlugins);
            return this;
        }

        public Builder canister(Canister canister) {
            canisters.put(canister.id(), canister);
            return this;
        }

        /** The origin the replicas fetch from: its CA is trusted and loopback is allowed. */
        public Builder origin(ScriptedOrigin origin) {
            this.origin = origin;
            return this;
        }

        /** Extra adapter configuration (keys as in {@code org.outcalls.adapter}). */
        public Builder adapter(String key, Object value) {
            adapterConfig.put(key, value);
            return this;
        }

        /** Whether replicas tag requests with their index (default true). */
        public Builder tagReplicas(boolean tag) {
            this.tagReplicas = tag;
            return this;
        }

        public Builder network(NetworkConditions conditions, long seed) {
            this.network = conditions;
            this.seed = seed;
            return this;
        }

        /**
         * Cycles the proxy credits at start to the identity {@link TestSubnet#submit} signs as (default
         * 10^16, about 1.5 million outcalls); 0 credits nothing, as on a real subnet.
         */
        public Builder developmentCycles(long cycles) {
            this.developmentCycles = cycles;
            return this;
        }

        public TestSubnet start() throws Exception {
            return new TestSubnet(this);
        }
    }
}
