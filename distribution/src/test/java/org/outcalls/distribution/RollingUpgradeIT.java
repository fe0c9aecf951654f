package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * A rolling upgrade of a four-replica subnet under load, with real processes, real TCP and mutual TLS:
 * release N (the assembled distribution: store format 2, protocol 1..2) to release N+1 ({@link
 * NextRelease}: store format 3, protocol 1..3). One replica at a time is taken out of the load's
 * rotation, stopped, started from release N+1 on the same data folder (its store is migrated), and
 * awaited until {@code /readyz} says 200 and it has its peers' state hash; then the next. While the
 * subnet is mixed, N+1 speaks 2 to N and 3 to N+1. At the end every outcall submitted has exactly one
 * result, at one height, on every replica; the state hashes agree; and release N refuses the migrated
 * store with the message an operator who downgrades must see.
 */
class RollingUpgradeIT {
    private static final String NEWER_STORE = "store format 3 is newer than this release reads (2): upgrade the replica";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run leaves the replicas' logs to read
    static Path temp;

    @Test
    void aRollingUpgradeUnderLoadLosesAndDuplicatesNoOutcall() throws Exception {
        long t0 = System.nanoTime();
        Path next = NextRelease.assemble(Dist.home(), temp.resolve("outcalls-next"), temp.resolve("next-build"));
        System.out.printf("release N+1 assembled in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        try (ScriptedOrigin origin = ScriptedOrigin.start();
             HostedSubnet subnet = new HostedSubnet(temp, origin.caPem(), 4, "--rank-delay-ms", "150",
                     "--heartbeat-ms", "300", "--checkpoint-interval", "10", "--retain-heights", "5000")) {
            origin.route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":42}"));
            for (int i = 0; i < 4; i++) {
                subnet.start(i, null);
            }
            Waits.awaitUntil("the subnet finalizes", () -> subnet.height(0) >= 5, HostedSubnet.READY);
            creditTheGateways(subnet);
            assertEquals("1..2", subnet.status(0).path("this_replica").path("protocol_versions").asText());
            assertEquals(2, subnet.status(0).path("store").path("format").asInt());

            long rollStart = System.nanoTime();
            try (SteeredLoad load = new SteeredLoad(subnet, origin.url("/price"), 1, 200)) {
                Waits.awaitUntil("some load before the upgrade", () -> load.sent().size() >= 10, HostedSubnet.READY);
                for (int k = 0; k < 4; k++) {
                    long u0 = System.nanoTime();
                    upgrade(subnet, load, k, next);
                    System.out.printf("replica %d upgraded in %d ms (%d outcalls submitted so far)%n", k,
                            (System.nanoTime() - u0) / 1_000_000, load.sent().size());
                    if (k == 0) {
                        assertMixedVersions(subnet);
                    }
                }
                long upgraded = subnet.height(0);
                Waits.awaitUntil("load after the last upgrade", () -> subnet.height(0) >= upgraded + 10,
                        HostedSubnet.CATCH_UP);
                List<SteeredLoad.Sent> sent = load.stop();
                assertEquals(List.of(), load.failures(), "every submission was taken in");
                assertEveryOutcallOnceOnEveryReplica(subnet, sent);
            }
            System.out.printf("rolling upgrade of 4 replicas under load: %d ms%n", (System.nanoTime() - rollStart) / 1_000_000);
            for (int i = 0; i < 4; i++) {
                JsonNode s = subnet.status(i);
                assertEquals(3, s.path("store").path("format").asInt(), "replica " + i + "'s store");
                for (JsonNode peer : s.path("replicas")) {
                    if (peer.path("index").asInt() != i) {
                        assertEquals(3, peer.path("protocol_version").asInt(), "replica " + i + " to " + peer);
                    }
                }
            }
            for (int i = 1; i < 4; i++) {
                subnet.awaitSameState(i, 0);
            }
            subnet.stopAll();
            assertReleaseNRefusesTheMigratedStore(subnet);
        }
    }

    /**
     * Each gateway signs the outcalls it takes in with its own key, and on a subnet of {@code subnet
     * init} every caller starts at 0 cycles: the admin tops the four gateways' accounts up, so the
     * load's outcalls complete rather than being refused.
     */
    private static void creditTheGateways(HostedSubnet subnet) throws Exception {
        Path admin = subnet.temp.resolve("subnet").resolve("admin.key");
        for (int i = 0; i < 4; i++) {
            Path key = ReplicaConfig.read(subnet.configs.get(i)).data().resolve("gateway.key");
            String principal = org.outcalls.replica.Principals.ofKey(org.outcalls.crypto.NodeKey.load(key).publicKey());
            OutcallsProcess.Result r = OutcallsProcess.run(subnet.home, subnet.temp, Duration.ofSeconds(120), "admin",
                    "top-up", principal, "1000000000000000", "--key", admin.toString(), "--gateway",
                    "http://127.0.0.1:" + subnet.gateways.get(i));
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        }
    }

    /** Takes replica {@code k} out of the load, restarts it from {@code next} on its data folder, awaits it caught up. */
    private static void upgrade(HostedSubnet subnet, SteeredLoad load, int k, Path next) throws Exception {
        int other = (k + 1) % 4;
        load.steerTo(other);
        // what replica k took in has reached a block (its peers know the id) before it goes down
        for (SteeredLoad.Sent s : load.sent()) {
            if (s.via() == k) {
                Waits.awaitUntil(s.id() + " known to replica " + other,
                        () -> subnet.get(other, "/api/v1/outcalls/" + s.id()).statusCode() == 200, HostedSubnet.CATCH_UP);
            }
        }
        assertEquals(0, subnet.procs.get(k).stop(), "replica " + k + " stops cleanly");
        ReplicaProcess p = subnet.start(k, next, null);
        Waits.awaitUntil("replica " + k + " is ready", () -> subnet.get(k, "/readyz").statusCode() == 200,
                HostedSubnet.CATCH_UP);
        subnet.awaitSameState(k, other);
        Path log = ReplicaConfig.read(subnet.configs.get(k)).data().resolve("logs").resolve("outcalls.log");
        assertEquals(1, HostFiles.linesOf(log, "migrating format 2 -> 3").size(), "migrated once: " + subnet.describe(k));
        assertTrue(p.alive());
        load.steerTo(k); // back in rotation: the next replica's load goes through an upgraded one
    }

    /** Replica 0 runs N+1, the others N: it speaks 2 to them, they speak 2 to it and to each other. */
    private static void assertMixedVersions(HostedSubnet subnet) throws Exception {
        Waits.awaitUntil("replica 0 speaks 2 to every peer", () -> {
            JsonNode rows = subnet.status(0).path("replicas");
            return rows.get(1).path("protocol_version").asInt() == 2 && rows.get(2).path("protocol_version").asInt() == 2
                    && rows.get(3).path("protocol_version").asInt() == 2;
        }, HostedSubnet.CATCH_UP);
        assertEquals("1..3", subnet.status(0).path("this_replica").path("protocol_versions").asText());
        assertEquals(2, subnet.status(1).path("replicas").get(0).path("protocol_version").asInt());
        assertEquals("1..2", subnet.status(1).path("this_replica").path("protocol_versions").asText());
        assertEquals(2, subnet.status(1).path("store").path("format").asInt());
    }

    /** Every id has a final result on every replica, at one height and with one response; no id twice. */
    private static void assertEveryOutcallOnceOnEveryReplica(HostedSubnet subnet, List<SteeredLoad.Sent> sent)
            throws Exception {
        assertTrue(sent.size() >= 100, "the load submitted only " + sent.size() + " outcalls");
        Set<String> ids = new HashSet<>();
        Set<Integer> vias = new HashSet<>();
        for (int n = 0; n < sent.size(); n++) {
            SteeredLoad.Sent s = sent.get(n);
            assertTrue(ids.add(s.id()), "one id per submission: " + s.id());
            vias.add(s.via());
            JsonNode r0 = result(subnet, 0, s, n + 1 + " of " + sent.size());
            assertEquals("completed", r0.path("status").asText(), s.id() + ": " + r0);
            for (int i = 1; i < 4; i++) {
                JsonNode r = result(subnet, i, s, n + 1 + " of " + sent.size());
                assertEquals(r0.path("height"), r.path("height"), "delivered once, at one height: " + s.id() + " on " + i);
                assertEquals(r0.path("response"), r.path("response"));
            }
        }
        assertEquals(Set.of(0, 1, 2, 3), vias, "submitted through every replica in turn");
    }

    /**
     * The outcall's final result on replica {@code i}. Unknown (404) only while the replica has not
     * executed the block with its ingress message yet: asked again until a deadline, then it was lost.
     */
    private static JsonNode result(HostedSubnet subnet, int i, SteeredLoad.Sent s, String which) throws Exception {
        long deadline = System.nanoTime() + HostedSubnet.CATCH_UP.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            java.net.http.HttpResponse<byte[]> r = subnet.get(i, "/api/v1/outcalls/" + s.id() + "?wait=5");
            last = r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
            if (r.statusCode() == 200) {
                JsonNode n = HostedSubnet.JSON.readTree(r.body());
                if (!n.path("status").asText().equals("pending")) {
                    return n;
                }
            } else {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("outcall " + which + " (" + s.id() + ", submitted through replica " + s.via()
                + ") has no result on replica " + i + ": " + last + "\n" + subnet.describe(i));
    }

    /** A downgrade: release N on replica 3's migrated store exits, saying why. */
    private static void assertReleaseNRefusesTheMigratedStore(HostedSubnet subnet) throws Exception {
        ReplicaProcess old = subnet.launch(3, subnet.home, null);
        int exit = old.awaitExit(Duration.ofSeconds(120));
        assertNotEquals(0, exit);
        List<String> said = new ArrayList<>(old.output());
        Path log = ReplicaConfig.read(subnet.configs.get(3)).data().resolve("logs").resolve("outcalls.log");
        said.addAll(HostFiles.linesOf(log, NEWER_STORE));
        assertTrue(said.stream().anyMatch(l -> l.contains(NEWER_STORE)), "release N says: " + old.output());
    }
}
