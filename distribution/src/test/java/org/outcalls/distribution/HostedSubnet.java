package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.internal.store.StoreSettings;
import org.outcalls.replica.multihost.ReplicaConfig;

/**
 * A multi-host subnet on loopback for system tests of operations: {@code outcalls subnet init}, one
 * {@code outcalls replica} process per replica (real TCP with mutual TLS, a store each), and what the
 * tests ask of it through the gateways: status, heights, submissions, results, and at the end the
 * stores compared height by height (no fork).
 */
final class HostedSubnet implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(180);
    static final Duration CATCH_UP = Duration.ofSeconds(180);
    static final long CYCLES = 1_000_000_000L;
    static final ObjectMapper JSON = new ObjectMapper();

    final Path temp;
    final Path home;
    final Path ca;
    final List<Path> configs = new ArrayList<>();
    final List<Integer> gateways = new ArrayList<>();
    final List<ReplicaProcess> procs = new ArrayList<>();
    private final List<ReplicaProcess> started = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Copies the distribution and writes an n-replica subnet with {@code initFlags} added to {@code subnet init}. */
    HostedSubnet(Path temp, Path ca, int n, String... initFlags) throws Exception {
        this.temp = temp;
        this.ca = ca;
        this.home = temp.resolve("outcalls");
        copyTree(Dist.home(), home);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hosts.add("127.0.0.1:" + freePort());
        }
        List<String> args = new ArrayList<>(List.of("subnet", "init", "--replicas", String.valueOf(n), "--hosts",
                String.join(",", hosts), "--out", temp.resolve("subnet").toString(), "--http-port",
                String.valueOf(freePort())));
        args.addAll(List.of(initFlags));
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(60), args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        for (int i = 0; i < n; i++) {
            Path c = temp.resolve("subnet").resolve("replica-" + i).resolve("replica.json");
            configs.add(c);
            gateways.add(ReplicaConfig.read(c).gateway().orElseThrow().port());
            procs.add(null);
        }
    }

    /**
     * A replica that joins later, from its own configuration (written by {@code outcalls admin
     * replace-member|add-member --config-out}): its slot here (not its replica index).
     */
    int addSlot(Path config) throws IOException {
        configs.add(config);
        gateways.add(ReplicaConfig.read(config).gateway().orElseThrow().port());
        procs.add(null);
        return configs.size() - 1;
    }

    /** Starts replica {@code i} (JAVA_OPTS {@code javaOpts}, may be null) and waits until it is ready. */
    ReplicaProcess start(int i, String javaOpts) throws Exception {
        return start(i, home, javaOpts);
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
        Path data = ReplicaConfig.read(configs.get(i)).data();
        try (Stream<Path> s = Files.walk(data)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    JsonNode status(int i) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(i)
                + "/api/v1/subnet")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** {@code GET path} on replica {@code i}'s gateway: status and body bytes. */
    HttpResponse<byte[]> get(int i, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(i) + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Credits replica {@code i}'s gateway identity (it signs the calls it relays) through {@code
     * outcalls admin top-up} with the subnet's admin key: {@code subnet init} funds no gateway, whose
     * key is made at its first start, and an unfunded caller's outcalls are refused (insufficient_cycles).
     */
    void fundGateway(int i) throws Exception {
        String principal = org.outcalls.replica.Principals.ofKey(NodeKey.load(ReplicaConfig.read(configs.get(i)).data()
                .resolve("gateway.key")).publicKey());
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(120), "admin", "top-up", principal,
                "1000000000000000", "--key", temp.resolve("subnet").resolve("admin.key").toString(), "--gateway",
                "http://127.0.0.1:" + gateways.get(i) + "/");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    /** {@code POST path} with bytes on replica {@code i}'s gateway: status and body. */
    HttpResponse<String> post(int i, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(i) + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("content-type", "application/octet-stream")
                .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
    }

    long height(int i) throws Exception {
        return status(i).path("this_replica").path("executed_height").asLong();
    }

    /** Submits a GET outcall of {@code url} through replica {@code via}'s gateway; its id. */
    String submit(int via, String url, int maxResponseBytes) throws Exception {
        String body = JSON.createObjectNode().put("url", url).put("max_response_bytes", maxResponseBytes)
                .put("cycles", CYCLES).toString();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(via)
                + "/api/v1/outcalls")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** The outcall's result on replica {@code i} once it is no longer pending. */
    JsonNode await(int i, String id) throws Exception {
        String last = "no answer";
        for (int attempt = 0; attempt < 10; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(i)
                    + "/api/v1/outcalls/" + id + "?wait=30")).timeout(Duration.ofSeconds(40)).build(),
                    HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode n = JSON.readTree(r.body());
                if (!n.path("status").asText().equals("pending")) {
                    return n;
                }
            } else {
                Thread.sleep(3_000); // a replica still catching up may not know the id yet: ask again, not at once
            }
        }
        throw new AssertionError("outcall " + id + " has no result on replica " + i + "; last answer: " + last);
    }

    /** Replica {@code i} reaches replica {@code ref}'s height with the same state hash there. */
    void awaitSameState(int i, int ref) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
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
        throw new AssertionError("replica " + i + " did not reach replica " + ref + "'s state within " + CATCH_UP + ": "
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
            Path log = ReplicaConfig.read(configs.get(i)).data().resolve("logs").resolve("outcalls.log");
            List<String> lines = Files.readAllLines(log);
            b.append("\n--- log of replica ").append(i).append(" (end) ---\n");
            lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> b.append(l).append('\n'));
        } catch (Exception e) {
            b.append(" (no log: ").append(e).append(')');
        }
        return b.toString();
    }

    /** Every line of a log that contains {@code text} (none if there is no log). */
    static List<String> linesOf(Path log, String text) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).toList();
        }
    }

    static void awaitUntil(String what, Condition c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (c.get()) {
                    return;
                }
            } catch (IOException e) {
                // not reachable yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }

    @FunctionalInterface
    interface Condition {
        boolean get() throws Exception;
    }

    /** A thread submitting an outcall every {@code periodMillis} through replica {@code via} until stopped. */
    Load load(int via, String url, int maxResponseBytes, long periodMillis) {
        return new Load(via, url, maxResponseBytes, periodMillis);
    }

    final class Load {
        final List<String> ids = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private Load(int via, String url, int maxBytes, long periodMillis) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        ids.add(submit(via, url, maxBytes));
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (from.relativize(p).startsWith("data")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
