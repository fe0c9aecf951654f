package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.Member;
import org.outcalls.replica.MembersArgument;
import org.outcalls.testkit.origin.ListenPorts;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Four replica processes on loopback under outcall load grow to seven and shrink back to four, one
 * member per change as the rules require ({@code outcalls admin add-member}: each new replica at a
 * new address syncs and takes part; {@code remove-member}: the last member leaves, its key refused
 * from the switch height). At every step n, f and the threshold switch at the agreed height on
 * every replica: 4 (f 1, threshold 3) → 5 (1, 4) → 6 (1, 5) → 7 (2, 5) → 6 → 5 → 4. A second change
 * while the first is pending is refused. Every outcall completes once, at one height, the same on
 * every replica; no fork.
 */
class MemberGrowShrinkIT {
    private static final Pattern RECORDED = Pattern.compile("recorded at height (\\d+); takes effect at height (\\d+)");

    @TempDir
    static Path temp;

    @Test
    void fourGrowToSevenAndShrinkBackToFourUnderLoad() throws Exception {
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
            subnet.fundGateway(0);
            HostedSubnet.Load load = subnet.load(0, origin.url("/price"), 4096, 150);

            int five = add(subnet, 4, adminKey, gateway, true);
            int six = add(subnet, 5, adminKey, gateway, false);
            int seven = add(subnet, 6, adminKey, gateway, false);
            int[] slots = {0, 1, 2, 3, five, six, seven};
            long past = subnet.height(0) + 10;
            Waits.awaitUntil("seven go on", () -> subnet.height(seven) >= past, HostedSubnet.CATCH_UP);

            for (int leaving = 6; leaving >= 4; leaving--) {
                OutcallsProcess.Result remove = outcalls("admin", "remove-member", String.valueOf(leaving), "--key",
                        adminKey.toString(), "--gateway", gateway);
                assertEquals(0, remove.exitCode(), remove.stdout() + remove.stderr());
                long shrunkAt = heights(remove)[1];
                Waits.awaitUntil("the removal takes effect", () -> subnet.height(0) >= shrunkAt + 10,
                        HostedSubnet.CATCH_UP);
                int n = leaving;
                for (int i = 0; i < n; i++) {
                    assertSwitched(subnet.status(slots[i]), n, shrunkAt);
                }
                int slot = slots[leaving];
                JsonNode removedView = subnet.status(slot);
                long removedHeight = removedView.path("this_replica").path("executed_height").asLong();
                assertTrue(removedHeight < subnet.height(0), "the removed replica follows no more: " + removedView);
                subnet.procs.get(slot).kill9();
            }

            List<String> ids = load.stop();
            assertTrue(ids.size() >= 50, "the load submitted only " + ids.size() + " outcalls");
            Set<String> seen = new HashSet<>();
            int[] completedByVersion = new int[8];
            int rejected = 0;
            for (String id : ids) {
                assertTrue(seen.add(id));
                JsonNode r0 = subnet.await(0, id);
                assertTrue(List.of("completed", "rejected").contains(r0.path("status").asText()), id + ": " + r0);
                if (r0.path("status").asText().equals("completed")) {
                    completedByVersion[Math.min(7, r0.path("context").path("registry_version").asInt())]++;
                } else {
                    rejected++;
                }
                for (int i = 1; i < 4; i++) {
                    JsonNode ri = subnet.await(i, id);
                    assertEquals(r0.path("height"), ri.path("height"), "delivered once, at one height: " + id);
                    assertEquals(r0.path("response"), ri.path("response"));
                }
            }
            System.out.printf("outcalls: %d, completed per registry version (1: four members, 2: five, 3: six, "
                    + "4: seven, 5: six, 6: five, 7: four): %s, rejected: %d%n", ids.size(),
                    java.util.Arrays.toString(java.util.Arrays.copyOfRange(completedByVersion, 1, 8)), rejected);
            assertTrue(completedByVersion[4] >= 10, "seven answer outcalls");
            assertTrue(rejected * 10 <= ids.size(), rejected + " of " + ids.size() + " rejected");
            subnet.stopAll();
            assertTrue(subnet.assertNoFork() > 100, "heights compared");
        } finally {
            System.out.printf("MemberGrowShrinkIT took %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
        }
    }

    /**
     * {@code outcalls admin add-member} of a new key at a new address as member {@code index}; its
     * replica started once the change is recorded, synced to replica 0, and n, f and the threshold
     * switched on every member at the agreed height. With {@code tryAnother}, a second change sent
     * while this one is pending is refused. Its slot.
     */
    private static int add(HostedSubnet subnet, int index, Path adminKey, String gateway, boolean tryAnother)
            throws Exception {
        Path newHost = Files.createDirectories(temp.resolve("host-" + index));
        assertEquals(0, outcalls("keygen", "--out", newHost.toString()).exitCode());
        OutcallsProcess.Result add = outcalls("admin", "add-member", "--public-key",
                newHost.resolve("node.pub").toString(), "--address", "127.0.0.1:" + ListenPorts.free(),
                "--config-template", subnet.configs.get(0).toString(), "--config-out",
                newHost.resolve("replica.json").toString(), "--config-http-port", String.valueOf(ListenPorts.free()),
                "--key", adminKey.toString(), "--gateway", gateway, "--timeout", "0");
        assertEquals(0, add.exitCode(), add.stdout() + add.stderr());
        JsonNode[] view = new JsonNode[1];
        Waits.awaitUntil("the addition is recorded", () -> {
            view[0] = subnet.status(0);
            return view[0].path("membership").path("pending").isObject();
        }, Duration.ofSeconds(60));
        if (tryAnother) {
            // signed here: a CLI's JVM start may outlast the 64 heights under load
            List<Member> current = MemberCommandsView.members(view[0]);
            byte[] second = IngressMessage.sign(Hash.fromHex(view[0].path("subnet_id").asText()),
                    ManagementCanister.ID, ManagementCanister.CHANGE_MEMBERS, new MembersArgument(
                            view[0].path("registry_version").asLong(), current.subList(0, 3)).encode(), 7,
                    System.currentTimeMillis() + 60_000, NodeKey.load(adminKey)).encode();
            java.net.http.HttpResponse<String> sent = subnet.post(0, "/api/v1/ingress", second);
            assertEquals(202, sent.statusCode(), sent.body());
            String secondId = HostedSubnet.JSON.readTree(sent.body()).path("id").asText();
            JsonNode outcome = HostedSubnet.JSON.readTree(subnet.get(0, "/api/v1/ingress/" + secondId + "?wait=30").body());
            assertEquals("failed", outcome.path("status").asText(), outcome.toString());
            assertTrue(outcome.path("message").asText().contains("a membership change is pending until height"),
                    outcome.toString());
        }
        JsonNode pending = view[0].path("membership").path("pending");
        long grownAt = pending.path("effective_height").asLong();
        int n = index + 1;
        assertEquals("n " + index + " -> " + n + "; added " + index, pending.path("change").asText(), pending.toString());
        assertEquals(n - (n - 1) / 3, pending.path("threshold").asInt());

        int slot = subnet.addSlot(newHost.resolve("replica.json"));
        subnet.start(slot, null);
        subnet.awaitSameState(slot, 0);
        assertEquals(index, slot, "slots follow member indexes here");
        for (int i = 0; i <= index; i++) {
            assertSwitched(subnet.status(i), n, grownAt);
        }
        return slot;
    }

    /** The replica reports n members, f = (n − 1) ÷ 3, threshold n − f, from the change applied at {@code height}. */
    private static void assertSwitched(JsonNode s, int n, long height) {
        int f = (n - 1) / 3;
        assertEquals(n, s.path("replica_count").asInt(), s.toString());
        assertEquals(f, s.path("faults_tolerated").asInt(), s.toString());
        assertEquals(n - f, s.path("threshold").asInt(), s.toString());
        assertEquals(height, s.path("membership").path("last_applied").path("height").asLong(), s.toString());
    }

    /** The registry's members as {@code GET /api/v1/subnet} lists them. */
    private static final class MemberCommandsView {
        static List<Member> members(JsonNode subnet) {
            List<Member> out = new java.util.ArrayList<>();
            for (JsonNode r : subnet.path("replicas")) {
                out.add(Member.of(r.path("index").asInt(), org.outcalls.crypto.PublicKey.fromHex(r.path("public_key").asText()),
                        r.path("address").asText()));
            }
            return out;
        }
    }

    private static long[] heights(OutcallsProcess.Result r) {
        Matcher m = RECORDED.matcher(r.stdout());
        assertTrue(m.find(), r.stdout());
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static OutcallsProcess.Result outcalls(String... args) throws Exception {
        OutcallsProcess.Result r = OutcallsProcess.run(temp.resolve("outcalls"), temp, Duration.ofSeconds(120), args);
        System.out.println("$ outcalls " + String.join(" ", args) + "\n" + r.stdout() + "\n" + r.stderr()
                + "\n(exit " + r.exitCode() + ")");
        return r;
    }
}
