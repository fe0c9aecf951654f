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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.internal.store.StoreSettings;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Four replica processes on loopback (TCP with mutual TLS, each with its own store), under a
 * continuous outcall load through replica 0's gateway: kill -9 one and restart it (it catches up
 * to the same state hash); kill f (the subnet goes on); kill f + 1 (it halts, and resumes when one
 * returns); crash points inside a checkpoint write and inside block persistence (the restart
 * recovers). At the end every submitted outcall has exactly one delivered result, the proxy's
 * cycles add up, and no two replicas ever finalized different blocks at one height.
 */
class MultiHostIT {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final long CYCLES = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static final List<ReplicaProcess> running = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path home;
    private Path ca;
    private final List<Path> configs = new ArrayList<>();
    private final List<Integer> gateways = new ArrayList<>();
    private final ReplicaProcess[] procs = new ReplicaProcess[4];

    @AfterAll
    static void killLeftovers() throws InterruptedException {
        for (ReplicaProcess p : running) {
            p.close();
        }
    }

    @Test
    void fourReplicaProcessesSurviveKillsRestartsAndCrashPointsWithoutLosingOrRepeatingAnOutcall() throws Exception {
        home = temp.resolve("outcalls");
        copyTree(Dist.home(), home);
        try (ScriptedOrigin origin = ScriptedOrigin.start()) {
            origin.route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":42}"));
            ca = origin.caPem();
            init();
            for (int i = 0; i < 4; i++) {
                procs[i] = start(i, null);
            }
            for (int i = 0; i < 4; i++) {
                procs[i].awaitReady(READY);
            }
            awaitUntil("the subnet finalizes", () -> height(0) >= 5, READY);
            // replica 0's gateway signs the load's unsigned calls as its own identity: the admin credits its account
            String gatewayPrincipal = org.outcalls.replica.Principals.ofKey(NodeKey.load(ReplicaConfig.read(configs.get(0))
                    .data().resolve("gateway.key")).publicKey());
            OutcallsProcess.Result topUp = OutcallsProcess.run(home, temp, Duration.ofSeconds(60), "admin", "top-up",
                    gatewayPrincipal, "10000000000000000", "--key", temp.resolve("subnet").resolve("admin.key").toString(),
                    "--gateway", "http://127.0.0.1:" + gateways.get(0));
            assertEquals(0, topUp.exitCode(), topUp.stdout() + topUp.stderr());

            List<String> ids = new CopyOnWriteArrayList<>();
            AtomicBoolean load = new AtomicBoolean(true);
            Thread loader = new Thread(() -> {
                while (load.get()) {
                    try {
                        ids.add(submit(origin.url("/price")));
                        Thread.sleep(150);
                    } catch (Exception e) {
                        if (load.get()) {
                            throw new IllegalStateException("submitting through replica 0 failed", e);
                        }
                    }
                }
            }, "outcall-load");
            loader.setDaemon(true);
            loader.start();

            // kill -9 one replica (f = 1): the others go on; it restarts, catches up, same state hash
            procs[3].kill9();
            long h = height(0);
            awaitUntil("three replicas go on without replica 3", () -> height(0) >= h + 10, CATCH_UP);
            procs[3] = start(3, null);
            procs[3].awaitReady(READY);
            awaitSameState(3);

            // kill f + 1: the subnet halts; one comes back: it resumes; the other comes back and catches up
            procs[2].kill9();
            procs[3].kill9();
            Thread.sleep(3000); // let in-flight rounds settle
            long halted = height(0);
            Thread.sleep(6000); // many heartbeats: a live subnet would have made blocks
            assertEquals(halted, height(0), "with two of four replicas down no block may be finalized");
            assertEquals(halted, height(1));
            procs[2] = start(2, null);
            procs[2].awaitReady(READY);
            awaitUntil("the subnet resumes with three replicas", () -> height(0) >= halted + 5, CATCH_UP);

            // crash point: replica 3 halts itself in the middle of a checkpoint write (while catching up)
            ReplicaProcess crashing = start(3, "-Doutcalls.crashpoint=" + "checkpoint");
            assertEquals(137, crashing.awaitExit(CATCH_UP), "halted at the crash point: " + crashing.output());
            procs[3] = start(3, null);
            procs[3].awaitReady(READY);
            awaitSameState(3);

            // crash point: replica 1 halts itself right after committing a finalized block, before executing it
            procs[1].kill9();
            awaitUntil("the others go on", () -> height(0) >= height(3) - 1 && height(0) >= halted + 15, CATCH_UP);
            ReplicaProcess crashing1 = start(1, "-Doutcalls.crashpoint=block:3");
            assertEquals(137, crashing1.awaitExit(CATCH_UP), "halted at the crash point: " + crashing1.output());
            procs[1] = start(1, null);
            procs[1].awaitReady(READY);
            awaitSameState(1);

            load.set(false);
            loader.join(10_000);
            assertTrue(ids.size() >= 50, "the load submitted only " + ids.size() + " outcalls");

            // every outcall has exactly one result, the same on every replica's gateway
            long charged = 0;
            for (String id : ids) {
                JsonNode r0 = await(0, id);
                String status = r0.path("status").asText();
                assertTrue(status.equals("completed") || status.equals("rejected"), id + ": " + r0);
                assertEquals(CYCLES, r0.path("cycles").path("attached").asLong(), id + ": " + r0);
                charged += r0.path("cycles").path("charged").asLong();
                JsonNode r1 = await(1 + ids.indexOf(id) % 3, id);
                assertEquals(r0.path("height"), r1.path("height"), "delivered once, at one height: " + id);
                assertEquals(r0.path("response"), r1.path("response"));
            }
            // a second delivery would refund the attached cycles again: the balance shows any
            awaitUntil("all replicas at one height", () -> {
                try {
                    return height(0) == height(1) && height(1) == height(2) && height(2) == height(3);
                } catch (Exception e) {
                    return false;
                }
            }, CATCH_UP);
            long balance = status(0).path("cycles").path("proxy").asLong();
            assertEquals(org.outcalls.replica.multihost.SubnetInit.DEFAULT_PROXY_CYCLES - charged, balance,
                    "proxy cycles: initial minus what the " + ids.size() + " outcalls were charged");

            for (int i = 0; i < 4; i++) {
                assertEquals(0, procs[i].stop(), "replica " + i + " stops cleanly");
            }
        }
        // no replica ever finalized a different block at any height
        Map<Long, Hash> agreed = new HashMap<>();
        long compared = 0;
        for (int i = 0; i < 4; i++) {
            ReplicaConfig rc = ReplicaConfig.read(configs.get(i));
            try (ReplicaStore s = ReplicaStore.open(rc.data().resolve("store"), rc.genesis().subnetIdBytes(),
                    NodeKey.load(rc.nodeKey()).publicKey(), StoreSettings.DEFAULT)) {
                long[] range = s.chainRange().orElseThrow();
                for (long h = range[0]; h <= range[1]; h++) {
                    ArchivedHeight a = s.archived(h);
                    Hash first = agreed.putIfAbsent(h, a.hash());
                    assertTrue(first == null || first.equals(a.hash()), "replica " + i + " finalized another block at " + h);
                    compared++;
                }
            }
        }
        assertTrue(compared > 4 * 20, "compared " + compared + " finalized heights");
    }

    // ---------------------------------------------------------------- helpers

    private void init() throws Exception {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hosts.add("127.0.0.1:" + freePort());
        }
        int http = freePort();
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(60), "subnet", "init",
                "--replicas", "4", "--hosts", String.join(",", hosts), "--out", temp.resolve("subnet").toString(),
                "--http-port", String.valueOf(http), "--rank-delay-ms", "150", "--heartbeat-ms", "300",
                "--checkpoint-interval", "10", "--retain-heights", "5000");
        assertEquals(0, r.exitCode(), r.stderr());
        for (int i = 0; i < 4; i++) {
            Path c = temp.resolve("subnet").resolve("replica-" + i).resolve("replica.json");
            configs.add(c);
            gateways.add(ReplicaConfig.read(c).gateway().orElseThrow().port());
        }
    }

    private ReplicaProcess start(int i, String javaOpts) throws IOException {
        ReplicaProcess p = ReplicaProcess.start(home, configs.get(i), javaOpts, "--trust-ca", ca.toString(),
                "--allow-target", "127.0.0.1", "--allow-target", "localhost");
        running.add(p);
        return p;
    }

    private String submit(String url) throws Exception {
        String body = JSON.createObjectNode().put("url", url).put("max_response_bytes", 4096).put("cycles", CYCLES)
                .toString();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(0)
                + "/api/v1/outcalls")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("id").asText();
    }

    private JsonNode await(int replica, String id) throws Exception {
        String last = "no answer";
        for (int attempt = 0; attempt < 10; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(replica)
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
        throw new AssertionError("outcall " + id + " has no result on replica " + replica + "; its last answer: " + last);
    }

    private JsonNode status(int replica) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateways.get(replica)
                + "/api/v1/subnet")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private long height(int replica) throws Exception {
        return status(replica).path("this_replica").path("executed_height").asLong();
    }

    /** Replica {@code i} catches up and reports the state hash replica 0 reports at the same height. */
    private void awaitSameState(int i) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode a = status(0).path("this_replica");
                JsonNode b = status(i).path("this_replica");
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
        throw new AssertionError("replica " + i + " did not catch up to replica 0 within " + CATCH_UP);
    }

    private static void awaitUntil(String what, ThrowingCondition c, Duration timeout) throws Exception {
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
    private interface ThrowingCondition {
        boolean get() throws Exception;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
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
