package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.outcalls.replica.multihost.ReplicaConfig;

/**
 * Four {@code outcalls replica} processes of one subnet on loopback, as the operations tests drive
 * them: written by {@code outcalls subnet init}, started by {@code bin/outcalls}, read through each
 * replica's gateway.
 */
final class Subnet4 {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CYCLES = 1_000_000_000L;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Path> configs = new ArrayList<>();
    private final List<Integer> gateways = new ArrayList<>();
    private final ReplicaProcess[] procs = new ReplicaProcess[4];
    /** One installation per replica, as on four hosts (each its own {@code plugins/}); null: all share {@link #home}. */
    private final Path[] homes = new Path[4];
    private Path home;
    private Path ca;
    private Path subnetDir;

    record Reply(int status, JsonNode body) {
    }

    /** A copy of the distribution under {@code temp} (its own {@code data/}), so tests do not share state. */
    Path install(Path temp) throws IOException {
        home = copyTree(Dist.home(), temp.resolve("outcalls"));
        return home;
    }

    /**
     * A copy of the distribution per replica under {@code temp/host-I}, as four hosts have: each
     * replica's FileInstall watches its own {@code plugins/}, so a plugin can reach one host at a time.
     * The CLI runs from host 0's copy.
     */
    void installPerReplica(Path temp) throws IOException {
        for (int i = 0; i < 4; i++) {
            homes[i] = copyTree(Dist.home(), temp.resolve("host-" + i).resolve("outcalls"));
        }
        home = homes[0];
    }

    /** The folder replica {@code i}'s FileInstall watches. */
    Path plugins(int i) {
        return (homes[i] != null ? homes[i] : home).resolve("plugins");
    }

    /** The admin key {@code outcalls subnet init} wrote beside the replicas' folders. */
    Path adminKey() {
        return subnetDir.resolve("admin.key");
    }

    /** Replica {@code i}'s gateway, as {@code --gateway} takes it. */
    String gateway(int i) {
        return "http://127.0.0.1:" + gateways.get(i);
    }

    void init(Path temp, Path caPem, String name) throws Exception {
        this.ca = caPem;
        initOnly(home, temp, name);
    }

    /** {@code outcalls subnet init} with the timing the multi-host tests use; nothing started. */
    void initOnly(Path home, Path temp, String name) throws Exception {
        this.home = home;
        this.subnetDir = temp.resolve(name);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hosts.add("127.0.0.1:" + freePort());
        }
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(60), "subnet", "init",
                "--replicas", "4", "--hosts", String.join(",", hosts), "--out", temp.resolve(name).toString(),
                "--http-port", String.valueOf(freePort()), "--rank-delay-ms", "150", "--heartbeat-ms", "300",
                "--checkpoint-interval", "10", "--retain-heights", "5000");
        assertEquals(0, r.exitCode(), r.stderr());
        for (int i = 0; i < 4; i++) {
            Path c = temp.resolve(name).resolve("replica-" + i).resolve("replica.json");
            configs.add(c);
            gateways.add(ReplicaConfig.read(c).gateway().orElseThrow().port());
        }
    }

    ReplicaProcess start(int i, List<ReplicaProcess> running) throws IOException {
        procs[i] = ReplicaProcess.start(homes[i] != null ? homes[i] : home, configs.get(i), null, "--trust-ca", ca.toString(), "--allow-target",
                "127.0.0.1", "--allow-target", "localhost");
        running.add(procs[i]);
        return procs[i];
    }

    void startAll(List<ReplicaProcess> running, Duration ready) throws Exception {
        for (int i = 0; i < 4; i++) {
            start(i, running);
        }
        for (int i = 0; i < 4; i++) {
            procs[i].awaitReady(ready);
        }
    }

    ReplicaProcess proc(int i) {
        return procs[i];
    }

    String config(int i) {
        return configs.get(i).toString();
    }

    Path configPath(int i) {
        return configs.get(i);
    }

    Path data(int i) throws IOException {
        return ReplicaConfig.read(configs.get(i)).data();
    }

    /** Submits outcalls through replica 0 every 150 ms until {@code load} is cleared. */
    Thread load(String url, List<String> ids, AtomicBoolean load) {
        return load(url, null, ids, load);
    }

    /** The same, each outcall naming {@code transform} (null: none). */
    Thread load(String url, String transform, List<String> ids, AtomicBoolean load) {
        Thread t = new Thread(() -> {
            while (load.get()) {
                try {
                    ids.add(submit(url, transform));
                    Thread.sleep(150);
                } catch (Exception e) {
                    if (load.get()) {
                        throw new IllegalStateException("submitting through replica 0 failed", e);
                    }
                }
            }
        }, "outcall-load");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Credits replica {@code i}'s gateway identity (it signs the JSON calls it relays) through
     * {@code outcalls admin top-up} with the subnet's admin key: {@code subnet init} funds no gateway,
     * and an unfunded caller's outcalls are refused (insufficient_cycles), which a load would not notice.
     */
    void fundGateway(Path home, Path workingDir, int i) throws Exception {
        String principal = org.outcalls.replica.Principals.ofKey(org.outcalls.crypto.NodeKey.load(
                ReplicaConfig.read(configPath(i)).data().resolve("gateway.key")).publicKey());
        OutcallsProcess.Result r = OutcallsProcess.run(home, workingDir, Duration.ofSeconds(120), "admin", "top-up",
                principal, "1000000000000000", "--key", adminKey().toString(), "--gateway", gateway(i) + "/");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    /** Submits one outcall through replica 0; returns its id. */
    String submit(String url, String transform) throws Exception {
        var request = JSON.createObjectNode().put("url", url).put("max_response_bytes", 4096).put("cycles", CYCLES);
        if (transform != null) {
            request.putObject("transform").put("name", transform);
        }
        String body = request.toString();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(0, "/api/v1/outcalls"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** The outcall's final result on that replica; a replica still behind may not know the id yet (404): asked again. */
    JsonNode await(int replica, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        Reply r = null;
        while (System.nanoTime() < deadline) {
            r = get(replica, "/api/v1/outcalls/" + id + "?wait=30");
            if (r.status() == 200 && !r.body().path("status").asText().equals("pending")) {
                return r.body();
            }
            if (r.status() != 200) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("outcall " + id + " has no result on replica " + replica + "; last answer " + r);
    }

    Reply get(int replica, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(replica, path)).timeout(Duration.ofSeconds(40)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    Reply readyz(int replica) throws Exception {
        return get(replica, "/readyz");
    }

    long height(int replica) throws Exception {
        Reply r = get(replica, "/api/v1/subnet");
        assertEquals(200, r.status(), r.body().toString());
        return r.body().path("this_replica").path("executed_height").asLong();
    }

    /** Replica {@code i} reaches replica 0's height and reports the same state hash there. */
    void awaitSameState(int i, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode a = get(0, "/api/v1/subnet").body().path("this_replica");
                JsonNode b = get(i, "/api/v1/subnet").body().path("this_replica");
                last = "replica 0 at " + a.path("executed_height") + ", replica " + i + " at " + b.path("executed_height")
                        + " (" + b.path("state") + ")";
                if (a.path("executed_height").asLong() == b.path("executed_height").asLong()) {
                    assertEquals(a.path("state_hash").asText(), b.path("state_hash").asText(),
                            "replica " + i + " at height " + b.path("executed_height") + " has another state than replica 0");
                    return;
                }
            } catch (IOException e) {
                // its gateway is not up yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("replica " + i + " did not catch up to replica 0 within " + timeout + ": last seen " + last
                + "; its log's warnings: " + warnings(data(i).resolve("logs").resolve("outcalls.log")));
    }

    /** Every line of a replica's log that contains {@code text}. */
    static List<String> logLines(Path log, String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).toList();
        }
    }

    /** The last WARN and ERROR lines of a replica's log, for a failure message. */
    static List<String> warnings(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> w = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
            return w.subList(Math.max(0, w.size() - 15), w.size());
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    private URI uri(int replica, String path) {
        return URI.create("http://127.0.0.1:" + gateways.get(replica) + path);
    }

    @FunctionalInterface
    interface Condition {
        boolean get() throws Exception;
    }

    @FunctionalInterface
    interface Probe {
        Reply get() throws Exception;
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

    static Reply awaitReply(Probe p, Predicate<Reply> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = p.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // not reachable yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + timeout + "; last answer " + last);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Path copyTree(Path from, Path to) throws IOException {
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
        return to;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
