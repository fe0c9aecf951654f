package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Principals;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.testkit.origin.ListenPorts;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Four replica processes on loopback under outcall load; replica 2's host is lost for good (kill -9).
 * The operator makes a key on the new host ({@code outcalls keygen}) and replaces member 2 with it at a
 * new address ({@code outcalls admin replace-member}, which also writes the new replica's
 * replica.json). The change is recorded in a block and takes effect 64 heights later on every
 * replica; the new replica state-syncs from a catch-up package, follows with the others' state hash
 * and takes part. Every outcall has one result, at one height, on the old members and the new one.
 * The old key, started again, is refused by every member; a member's node key signing an admin
 * message is no admin.
 */
class MemberReplaceIT {
    private static final Pattern RECORDED = Pattern.compile("recorded at height (\\d+); takes effect at height (\\d+)");

    @TempDir
    static Path temp;

    @Test
    void aLostMemberIsReplacedByANewKeyAtANewAddressWhichSyncsAndTakesPart() throws Exception {
        long started = System.nanoTime();
        try (ScriptedOrigin origin = ScriptedOrigin.start();
             HostedSubnet subnet = new HostedSubnet(temp, origin.caPem(), 4, "--rank-delay-ms", "150",
                     "--heartbeat-ms", "300", "--checkpoint-interval", "10", "--retain-heights", "5000")) {
            origin.route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":42}"));
            for (int i = 0; i < 4; i++) {
                subnet.start(i, null);
            }
            Waits.awaitUntil("the subnet finalizes", () -> subnet.height(0) >= 5, HostedSubnet.READY);
            String gateway = "http://127.0.0.1:" + subnet.gateways.get(0) + "/";
            Path adminKey = temp.resolve("subnet").resolve("admin.key");
            // replica 0's gateway signs the load's calls as its own identity: give it cycles
            String principal = Principals.ofKey(NodeKey.load(ReplicaConfig.read(subnet.configs.get(0)).data()
                    .resolve("gateway.key")).publicKey());
            OutcallsProcess.Result topUp = outcalls("admin", "top-up", principal, "1000000000000000", "--key",
                    adminKey.toString(), "--gateway", gateway);
            assertEquals(0, topUp.exitCode(), topUp.stderr());
            HostedSubnet.Load load = subnet.load(0, origin.url("/price"), 4096, 150);

            // a member's own node key is no admin key: the subnet refuses what it signs
            Path memberKey = temp.resolve("subnet").resolve("replica-3").resolve("node.key");
            OutcallsProcess.Result forged = outcalls("admin", "remove-member", "3", "--key", memberKey.toString(),
                    "--gateway", gateway);
            assertEquals(1, forged.exitCode(), forged.stdout() + forged.stderr());
            assertTrue(forged.stderr().contains("is not an admin of this subnet"), forged.stderr());
            // replica 2's host is lost for good
            subnet.procs.get(2).kill9();
            Path newHost = Files.createDirectories(temp.resolve("new-host"));
            OutcallsProcess.Result keygen = outcalls("keygen", "--out", newHost.toString());
            assertEquals(0, keygen.exitCode(), keygen.stderr());
            String newKey = Files.readString(newHost.resolve("node.pub")).strip();
            int newPort = ListenPorts.free();
            OutcallsProcess.Result replace = outcalls("admin", "replace-member", "2", "--public-key",
                    newHost.resolve("node.pub").toString(), "--address", "127.0.0.1:" + newPort,
                    "--config-template", subnet.configs.get(0).toString(), "--config-out",
                    newHost.resolve("replica.json").toString(), "--config-http-port", String.valueOf(ListenPorts.free()),
                    "--key", adminKey.toString(), "--gateway", gateway);
            assertEquals(0, replace.exitCode(), replace.stdout() + replace.stderr());
            assertTrue(replace.stdout().contains("change_members (n 4 -> 4; replaced 2)"), replace.stdout());
            long[] at = heights(replace);
            JsonNode pending = subnet.status(1).path("membership").path("pending");
            assertEquals(at[1], pending.path("effective_height").asLong(), pending.toString());
            assertEquals(newKey, pending.path("members").get(2).path("public_key").asText());

            int slot = subnet.addSlot(newHost.resolve("replica.json"));
            subnet.start(slot, null); // ready once synced and caught up
            subnet.awaitSameState(slot, 0);
            for (int i : new int[] {0, 1, 3, slot}) {
                JsonNode s = subnet.status(i);
                assertEquals(newKey, s.path("replicas").get(2).path("public_key").asText(), "replica slot " + i);
                assertEquals(at[1], s.path("membership").path("last_applied").path("height").asLong(), s.toString());
                assertEquals(3, s.path("threshold").asInt());
            }
            JsonNode sync = subnet.status(slot).path("this_replica").path("state_sync");
            assertEquals("done", sync.path("phase").asText(), sync.toString());

            // the old key comes back: every member refuses it
            ReplicaProcess old = subnet.start(2, null);
            long past = subnet.height(0) + 20;
            Waits.awaitUntil("the subnet goes on", () -> subnet.height(slot) >= past, HostedSubnet.CATCH_UP);
            JsonNode oldView = subnet.status(2);
            for (JsonNode peer : oldView.path("replicas")) {
                // (its TLS 1.3 client may count a link as up until the member checks its certificate and closes it)
                if (peer.path("index").asInt() != 2) {
                    assertEquals(0, peer.path("frames_received").asLong(), "a member talks to the replaced key: " + peer);
                    assertFalse(peer.path("inbound").asBoolean(), "a member dialled the replaced key: " + peer);
                }
            }
            assertTrue(oldView.path("this_replica").path("executed_height").asLong() < at[1],
                    "the replaced replica executed past the switch: " + oldView.path("this_replica"));
            old.kill9();

            List<String> ids = load.stop();
            assertTrue(ids.size() >= 50, "the load submitted only " + ids.size() + " outcalls");
            Set<String> seen = new HashSet<>();
            int[] completedByVersion = new int[4];
            int rejected = 0;
            for (String id : ids) {
                assertTrue(seen.add(id));
                JsonNode r0 = subnet.await(0, id);
                JsonNode rNew = subnet.await(slot, id);
                // a final result, the same on the new replica: delivered once, at one height (on a loaded
                // machine an outcall may time out like any other; StateSyncIT allows the same)
                assertTrue(List.of("completed", "rejected").contains(r0.path("status").asText()), id + ": " + r0);
                assertEquals(r0.path("status"), rNew.path("status"), id);
                assertEquals(r0.path("height"), rNew.path("height"), "delivered once, at one height: " + id);
                assertEquals(r0.path("response"), rNew.path("response"));
                if (r0.path("status").asText().equals("completed")) {
                    completedByVersion[Math.min(3, r0.path("context").path("registry_version").asInt())]++;
                } else {
                    rejected++;
                }
            }
            System.out.printf("outcalls: %d, completed at registry version 1: %d, at 2 (the new members): %d,"
                    + " rejected: %d%n", ids.size(), completedByVersion[1], completedByVersion[2], rejected);
            assertTrue(completedByVersion[2] >= 20, "the new committee answers outcalls: " + completedByVersion[2]);
            assertTrue(rejected * 10 <= ids.size(), rejected + " of " + ids.size() + " rejected");
            subnet.awaitSameState(slot, 0);
            subnet.stopAll();
            assertTrue(subnet.assertNoFork() > 100, "heights compared");
        } finally {
            System.out.printf("MemberReplaceIT took %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
        }
    }

    private static long[] heights(OutcallsProcess.Result r) {
        Matcher m = RECORDED.matcher(r.stdout());
        assertTrue(m.find(), r.stdout());
        long[] h = {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        assertEquals(64, h[1] - h[0]);
        return h;
    }

    private static OutcallsProcess.Result outcalls(String... args) throws Exception {
        Path home = temp.resolve("outcalls");
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(120), args);
        System.out.println("$ outcalls " + String.join(" ", args) + "\n" + r.stdout() + "\n" + r.stderr()
                + "\n(exit " + r.exitCode() + ")");
        return r;
    }
}
