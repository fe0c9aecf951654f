package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Four replica processes on loopback under outcall load, keeping only a few heights
 * ({@code --retain-heights 20}, a checkpoint and catch-up package every 10): replica 3's data folder
 * is wiped and it restarts. Its peers no longer keep height 1, so catch-up cannot bring it back: it
 * fetches the newest catch-up package and the checkpoint's chunks from its peers, and replica 1,
 * restarted to corrupt every chunk it serves, is caught by the manifest, blamed and avoided. Replica
 * 3 then follows the chain with the others' state hash, every outcall has one result on it (those
 * executed before the wipe came with the state), and no replica ever finalized another block.
 */
class StateSyncIT {
    @TempDir
    static Path temp;

    @Test
    void aWipedReplicaStateSyncsFromACatchUpPackageAndABlamedPeerServesNoChunk() throws Exception {
        String body = "{\"price\":42,\"pad\":\"" + "x".repeat(3000) + "\"}"; // results of a few KiB: many chunks
        try (ScriptedOrigin origin = ScriptedOrigin.start();
             HostedSubnet subnet = new HostedSubnet(temp, originCa(origin), 4, "--rank-delay-ms", "150",
                     "--heartbeat-ms", "300", "--checkpoint-interval", "10", "--retain-heights", "20")) {
            origin.route("/price", r -> ScriptedOrigin.Reply.json(body));
            for (int i = 0; i < 4; i++) {
                subnet.start(i, null);
            }
            Waits.awaitUntil("the subnet finalizes", () -> subnet.height(0) >= 5, HostedSubnet.READY);
            subnet.fundGateway(0); // results kept in the proxy make a state of several chunks
            HostedSubnet.Load load = subnet.load(0, origin.url("/price"), 8192, 100);

            // replica 1 becomes a liar for state sync (one faulty replica of four is within f)
            subnet.procs.get(1).kill9();
            subnet.start(1, "-Doutcalls.fault.corruptStateChunks=true");
            subnet.awaitSameState(1, 0);
            Waits.awaitUntil("the peers no longer keep height 1",
                    () -> subnet.status(0).path("store").path("lowest_height").asLong() > 1
                            && subnet.status(2).path("store").path("lowest_height").asLong() > 1, HostedSubnet.CATCH_UP);

            // A syncing replica fetches from the peers that hold the newest catch-up package; the liar may not be
            // one of them yet when replica 3 asks (its package one checkpoint older), and then it is never asked:
            // wipe and sync again until it was, and every time count none of its chunks.
            JsonNode sync = null;
            for (int attempt = 1; attempt <= 3 && (sync == null || !sync.path("blamed_peers").has("1")); attempt++) {
                subnet.killAndWipe(3);
                subnet.start(3, null);
                subnet.awaitSameState(3, 0);
                sync = subnet.status(3).path("this_replica").path("state_sync");
                assertEquals("done", sync.path("phase").asText(), sync.toString());
                assertTrue(sync.path("cup_height").asLong() >= 10, sync.toString());
                assertTrue(sync.path("chunks_total").asInt() > 3, "a state of several chunks: " + sync);
                assertEquals(sync.path("chunks_total").asInt(), sync.path("chunks_verified").asInt(), sync.toString());
                assertFalse(sync.path("chunks_by_peer").has("1"), "no chunk of the liar counted: " + sync);
            }
            assertTrue(sync.path("blamed_peers").has("1"), "the liar is blamed once asked (3 syncs): " + sync);
            assertTrue(subnet.procs.get(3).output().stream().anyMatch(l -> l.contains("peer 1 served chunk")),
                    "the log names the liar");

            verifyCup(subnet);

            long after = subnet.height(0);
            Waits.awaitUntil("the subnet goes on", () -> subnet.height(3) >= after + 10, HostedSubnet.CATCH_UP);
            List<String> ids = load.stop();
            assertTrue(ids.size() >= 50, "the load submitted only " + ids.size() + " outcalls");
            for (String id : ids) {
                JsonNode r0 = subnet.await(0, id);
                JsonNode r3 = subnet.await(3, id);
                assertTrue(List.of("completed", "rejected").contains(r0.path("status").asText()), id + ": " + r0);
                assertEquals(r0.path("height"), r3.path("height"), "delivered once, at one height: " + id);
                assertEquals(r0.path("response"), r3.path("response"));
            }
            subnet.awaitSameState(3, 0);
            subnet.stopAll();
            assertTrue(subnet.assertNoFork() > 100, "heights compared");
        }
    }

    /** The catch-up package a replica serves verifies offline against the saved subnet document; an edited one does not. */
    private static void verifyCup(HostedSubnet subnet) throws Exception {
        java.net.http.HttpResponse<byte[]> cup = subnet.get(2, "/api/v1/subnet/cup");
        assertEquals(200, cup.statusCode());
        Path cupFile = java.nio.file.Files.write(temp.resolve("cup.bin"), cup.body());
        Path subnetFile = java.nio.file.Files.write(temp.resolve("subnet.json"), subnet.get(2, "/api/v1/subnet").body());
        OutcallsProcess.Result ok = OutcallsProcess.run(subnet.home, temp, Duration.ofSeconds(60), "verify-cup",
                cupFile.toString(), "--subnet", subnetFile.toString());
        assertEquals(0, ok.exitCode(), ok.stdout() + ok.stderr());
        assertTrue(ok.stdout().startsWith("GENUINE: the state of subnet"), ok.stdout());
        byte[] edited = cup.body().clone();
        edited[edited.length - 100] ^= 1; // inside a signature
        java.nio.file.Files.write(cupFile, edited);
        OutcallsProcess.Result bad = OutcallsProcess.run(subnet.home, temp, Duration.ofSeconds(60), "verify-cup",
                cupFile.toString(), "--subnet", subnetFile.toString());
        assertEquals(1, bad.exitCode(), bad.stdout() + bad.stderr());
        assertTrue(bad.stdout().startsWith("NOT GENUINE"), bad.stdout());
    }

    private static Path originCa(ScriptedOrigin origin) {
        return origin.caPem();
    }
}
