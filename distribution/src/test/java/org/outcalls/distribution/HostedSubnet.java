package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Principals;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.internal.store.StoreSettings;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.testkit.origin.ListenPorts;

/**
 * A multi-host subnet on loopback for system tests of operations: {@code outcalls subnet init}, one
 * {@code outcalls replica} process per replica (real TCP with mutual TLS, a store each; one copy of
 * the distribution for all, or one per replica as on separate hosts), and what the tests ask of it
 * through the gateways: status, heights, submissions, results, and at the end the stores compared
 * height by height (no fork).
 */
final class HostedSubnet implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(180);
    static final Duration CATCH_UP = Duration.ofSeconds(180);
    /** How long {@link #await} asks for an outcall's result (a replica catching up answers 404 until it knows the id). */
    static final Duration RESULT = Duration.ofSeconds(180);
    static final long CYCLES = 1_000_000_000L;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBNET_FOLDER = "subnet";

    final Path temp;
    /** The distribution the CLI runs from: host 0's where each replica has its own. */
    final Path home;
    final Path ca;
    final List<Path> configs = new ArrayList<>();
    final List<Integer> gateways = new ArrayList<>();
    final List<ReplicaProcess> procs = new ArrayList<>();
    /** The distribution each slot's replica starts from. */
    private final List<Path> homes = new ArrayList<>();
    private final List<ReplicaProcess> started = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Copies the distribution once, for all replicas, and writes an n-replica subnet with {@code
     * initFlags} added to {@code subnet init}.
     */
    HostedSubnet(Path temp, Path ca, int n, String... initFlags) throws Exception {
        this(temp, ca, Collections.nCopies(n, HostFiles.copyTree(Dist.home(), temp.resolve("outcalls"))), initFlags);
    }

    /**
     * A copy of the distribution per replica under {@code temp/host-I}, as n hosts have: each replica's
     * FileInstall watches its own {@code plugins/}, so a plugin can reach one host at a time.
     */
    static HostedSubnet perReplicaInstall(Path temp, Path ca, int n, String... initFlags) throws Exception {
        List<Path> homes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            homes.add(HostFiles.copyTree(Dist.home(), temp.resolve("host-" + i).resolve("outcalls")));
        }
        return new HostedSubnet(temp, ca, homes, initFlags);
    }

    private HostedSubnet(Path temp, Path ca, List<Path> homes, String... initFlags) throws Exception {
        this.temp = temp;
        this.ca = ca;
        this.home = homes.get(0);
        List<Path> written = initOnly(home, temp, SUBNET_FOLDER, homes.size(), initFlags);
        for (int i = 0; i < written.size(); i++) {
            addSlot(written.get(i), homes.get(i));
        }
    }

    /**
     * {@code outcalls subnet init} of an n-replica subnet on loopback into {@code temp/folder}, run from
     * the distribution at {@code home}; nothing started: the replicas' configurations.
     */
    static List<Path> initOnly(Path home, Path temp, String folder, int n, String... initFlags) throws Exception {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hosts.add("127.0.0.1:" + ListenPorts.free());
        }
        List<String> args = new ArrayList<>(List.of("subnet", "init", "--replicas", String.valueOf(n), "--hosts",
                String.join(",", hosts), "--out", temp.resolve(folder).toString(), "--http-port",
                String.valueOf(ListenPorts.free(n)))); // replica i's gateway listens on that port + i
        args.addAll(List.of(initFlags));
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(60), args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            configs.add(temp.resolve(folder).resolve("replica-" + i).resolve("replica.json"));
        }
        return configs;
    }

    /**
     * A replica that joins later, from its own configuration (written by {@code outcalls admin
     * replace-member|add-member --config-out}): its slot here (not its replica index).
     */
    int addSlot(Path config) throws IOException {
        return addSlot(config, home);
    }

    private int addSlot(Path config, Path replicaHome) throws IOException {
        configs.add(config);
        gateways.add(ReplicaConfig.read(config).gateway().orElseThrow().port());
        procs.add(null);
        homes.add(replicaHome);
        return configs.size() - 1;
    }

    /** The admin key {@code outcalls subnet init} wrote beside the replicas' folders. */
    Path adminKey() {
        return temp.resolve(SUBNET_FOLDER).resolve("admin.key");
    }

    /** Replica {@code i}'s gateway, as {@code --gateway} takes it. */
    String gateway(int i) {
        return "http://127.0.0.1:" + gateways.get(i);
    }

    /** The folder replica {@code i}'s FileInstall watches. */
    Path plugins(int i) {
        return homes.get(i).resolve("plugins");
    }

    /** Replica {@code i}'s data folder: store, keys, logs. */
    Path data(int i) throws IOException {
        return ReplicaConfig.read(configs.get(i)).data();
    }

    /** Starts every replica before waiting for any, so their JVMs boot side by side; then waits until each is ready. */
    void startAll() throws Exception {
        for (int i = 0; i < configs.size(); i++) {
            launch(i, homes.get(i), null);
        }
        for (ReplicaProcess p : procs) {
            p.awaitReady(READY);
        }
    }

    /** Starts replica {@code i} from its own distribution (JAVA_OPTS {@code javaOpts}, may be null) and waits until ready. */
    ReplicaProcess start(int i, String javaOpts) throws Exception {
        return start(i, homes.get(i), javaOpts);
    }

    /** Starts replica {@code i} from the distribution at {@code release} (another release) and waits until it is ready. */
    ReplicaProcess start(int i, Path release, String javaOpts) throws Exception {
        ReplicaProcess p = launch(i, release, javaOpts);
        p.awaitReady(READY);
        return p;
    }

    /** Starts replica {@code i} from the distribution at {@code release}, not waiting for anything. */
    ReplicaProcess launch(int i, Path release, String javaOpts) throws Exception {
        ReplicaProcess p = ReplicaProcess.start(release, configs.get(i), javaOpts, "--trust-ca", ca.toString(),
                "--allow-target", "127.0.0.1", "--allow-target", "localhost");
        started.add(p);
        procs.set(i, p);
        return p;
    }

    /** kill -9 replica {@code i} and delete its data folder (store, gateway key, logs): a wiped host. */
    void killAndWipe(int i) throws Exception {
        procs.get(i).kill9();
        HostFiles.deleteTree(data(i));
    }

    JsonNode status(int i) throws Exception {
        HttpResponse<byte[]> r = get(i, "/api/v1/subnet");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(200, r.statusCode(), body);
        return JSON.readTree(body);
    }

    /** {@code GET path} on replica {@code i}'s gateway: status and body bytes. */
    HttpResponse<byte[]> get(int i, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(i, path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A gateway's JSON answer with its status, for endpoints that explain a refusal ({@code /readyz}: 503 and why). */
    record Reply(int status, JsonNode body) {
    }

    Reply getJson(int i, String path) throws Exception {
        HttpResponse<byte[]> r = get(i, path);
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    Reply readyz(int i) throws Exception {
        return getJson(i, "/readyz");
    }

    /**
     * Credits replica {@code i}'s gateway identity (it signs the calls it relays) through {@code
     * outcalls admin top-up} with the subnet's admin key: {@code subnet init} funds no gateway, whose
     * key is made at its first start, and an unfunded caller's outcalls are refused (insufficient_cycles).
     */
    void fundGateway(int i) throws Exception {
        String principal = Principals.ofKey(NodeKey.load(data(i).resolve("gateway.key")).publicKey());
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(120), "admin", "top-up", principal,
                "1000000000000000", "--key", adminKey().toString(), "--gateway", gateway(i) + "/");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    /** {@code POST path} with bytes on replica {@code i}'s gateway: status and body. */
    HttpResponse<String> post(int i, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(i, path)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("content-type", "application/octet-stream").timeout(Duration.ofSeconds(40)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long height(int i) throws Exception {
        return status(i).path("this_replica").path("executed_height").asLong();
    }

    /** Submits a GET outcall of {@code url} through replica {@code via}'s gateway; its id. */
    String submit(int via, String url, int maxResponseBytes) throws Exception {
        return submit(via, url, maxResponseBytes, null);
    }

    /** The same, the outcall naming the transform {@code transform} (null: none). */
    String submit(int via, String url, int maxResponseBytes, String transform) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("url", url).put("max_response_bytes", maxResponseBytes)
                .put("cycles", CYCLES);
        if (transform != null) {
            request.putObject("transform").put("name", transform);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(via, "/api/v1/outcalls"))
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** The outcall's result on replica {@code i} once it is no longer pending. */
    JsonNode await(int i, String id) throws Exception {
        String last = "no answer";
        long deadline = System.nanoTime() + RESULT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(i, "/api/v1/outcalls/" + id + "?wait=30"))
                    .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode n = JSON.readTree(r.body());
                if (!n.path("status").asText().equals("pending")) {
                    return n;
                }
            } else {
                Thread.sleep(1_000); // a replica still catching up may not know the id yet: ask again, not at once
            }
        }
        throw new AssertionError("outcall " + id + " has no result on replica " + i + " within " + RESULT
                + "; last answer: " + last);
    }

    /** Replica {@code i} reaches replica {@code ref}'s height with the same state hash there. */
    void awaitSameState(int i, int ref) throws Exception {
        awaitSameState(i, ref, CATCH_UP);
    }

    void awaitSameState(int i, int ref, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode a = status(ref).path("this_replica");
                JsonNode b = status(i).path("this_replica");
                if (b.has("executed_height") && a.path("executed_height").asLong() == b.path("executed_height").asLong()) {
                    assertEquals(a.path("state_hash").asText(), b.path("state_hash").asText(), "replica " + i
                            + " at height " + b.path("executed_height") + " has another state than replica " + ref);
                    return;
                }
            } catch (IOException e) {
                // its gateway is not up yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("replica " + i + " did not reach replica " + ref + "'s state within " + timeout + ": "
                + describe(i));
    }

    /** Replica {@code i}'s status and the end of its log, for a failure message. */
    String describe(int i) {
        StringBuilder b = new StringBuilder();
        try {
            b.append(status(i).path("this_replica"));
        } catch (Exception e) {
            b.append("(no status: ").append(e).append(')');
        }
        try {
            Path log = data(i).resolve("logs").resolve("outcalls.log");
            List<String> lines = Files.readAllLines(log);
            b.append("\n--- log of replica ").append(i).append(" (end) ---\n");
            lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> b.append(l).append('\n'));
        } catch (Exception e) {
            b.append(" (no log: ").append(e).append(')');
        }
        return b.toString();
    }

    /** A thread submitting an outcall every {@code periodMillis} through replica {@code via} until stopped. */
    Load load(int via, String url, int maxResponseBytes, long periodMillis) {
        return load(via, url, maxResponseBytes, null, periodMillis);
    }

    /** The same, each outcall naming the transform {@code transform} (null: none). */
    Load load(int via, String url, int maxResponseBytes, String transform, long periodMillis) {
        return new Load(via, url, maxResponseBytes, transform, periodMillis);
    }

    final class Load {
        final List<String> ids = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private Load(int via, String url, int maxBytes, String transform, long periodMillis) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        ids.add(submit(via, url, maxBytes, transform));
                        Thread.sleep(periodMillis);
                    } catch (Exception e) {
                        if (running.get()) {
                            throw new IllegalStateException("submitting through replica " + via + " failed", e);
                        }
                    }
                }
            }, "outcall-load");
            thread.setDaemon(true);
            thread.start();
        }

        List<String> stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            return ids;
        }
    }

    /** After every process stopped: no two replicas' stores finalized different blocks at one height; heights compared. */
    long assertNoFork() throws Exception {
        Map<Long, Hash> agreed = new HashMap<>();
        long compared = 0;
        for (Path config : configs) {
            ReplicaConfig rc = ReplicaConfig.read(config);
            if (!Files.exists(rc.data().resolve("store"))) {
                continue;
            }
            try (ReplicaStore s = ReplicaStore.open(rc.data().resolve("store"), rc.genesis().subnetIdBytes(),
                    NodeKey.load(rc.nodeKey()).publicKey(), StoreSettings.DEFAULT)) {
                long[] range = s.chainRange().orElseThrow();
                for (long h = range[0]; h <= range[1]; h++) {
                    ArchivedHeight a = s.archived(h);
                    Hash first = agreed.putIfAbsent(h, a.hash());
                    assertTrue(first == null || first.equals(a.hash()), "replica " + rc.replica()
                            + " finalized another block at " + h);
                    compared++;
                }
            }
        }
        return compared;
    }

    /** Stops every running replica cleanly (exit 0 each). */
    void stopAll() throws Exception {
        for (int i = 0; i < procs.size(); i++) {
            ReplicaProcess p = procs.get(i);
            if (p != null && p.alive()) {
                assertEquals(0, p.stop(), "replica " + i + " stops cleanly");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ReplicaProcess p : started) {
            p.close();
        }
    }

    private URI uri(int i, String path) {
        return URI.create(gateway(i) + path);
    }
}
