package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.distribution.plugin.TagTransform;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * A plugin rollout across four {@code outcalls replica} processes (TCP+TLS, each its own
 * installation and {@code plugins/} folder, as on four hosts), under a steady load of outcalls that
 * name the transform: version 1.0.1 of the {@code hotswap-tag} bundle is dropped into one host's
 * folder at a time (FileInstall installs it beside 1.0.0); {@code outcalls plugins} and
 * {@code GET /api/v1/subnet} show who has it; {@code outcalls admin enable} is refused while fewer
 * than n − f replicas have it and accepted once three do; the replica still without it reports
 * itself {@code degraded} until its host gets the jar; then 1.0.0 is removed everywhere. Every
 * outcall of the load completes once, transformed by the version the registry enabled when it was
 * made (its {@code context.transform_version}), with the same result on every replica, and the
 * replicas' state hashes agree.
 */
class RolloutIT {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration CLI = Duration.ofSeconds(120);
    /** Plugins are announced every 2 s and FileInstall polls every second: generous for a loaded 2-core machine. */
    private static final Duration SEEN = Duration.ofSeconds(60);
    private static final String TAG = TagTransform.NAME;
    private static final String HELLO = "hello from the origin";
    private static final Pattern DONE_AT = Pattern.compile("done at height (\\d+)");

    @TempDir
    static Path temp;

    @Test
    void aNewVersionReachesTheHostsOneAtATimeUnderLoadAndNoOutcallSeesTheSwitch() throws Exception {
        long started = System.nanoTime();
        Path v100 = TestBundles.tag(temp.resolve("built"), "1.0.0");
        Path v101 = TestBundles.tag(temp.resolve("built"), "1.0.1");
        try (ScriptedOrigin origin = ScriptedOrigin.start();
             HostedSubnet subnet = HostedSubnet.perReplicaInstall(temp, origin.caPem(), 4, "--rank-delay-ms", "150",
                     "--heartbeat-ms", "300", "--checkpoint-interval", "10", "--retain-heights", "5000")) {
            origin.route("/hello", r -> ScriptedOrigin.Reply.text(HELLO));
            for (int i = 0; i < 4; i++) {
                drop(subnet, v100, i);
            }
            subnet.startAll();
            awaitAnnounced(subnet, "1.0.0", List.of(0, 1, 2, 3));
            long enabled100 = enable(subnet, "1.0.0");
            assertTrue(enabled100 > 0);
            topUpTheGateway(subnet, origin.url("/hello"));

            HostedSubnet.Load load = subnet.load(0, origin.url("/hello"), 4096, TAG, 150);
            awaitMore(load.ids, 10);

            // 1.0.1 reaches the hosts one at a time; enable is refused until n - f = 3 have it
            long switched = 0;
            for (int i = 0; i < 4; i++) {
                drop(subnet, v101, i);
                List<Integer> have = new ArrayList<>();
                for (int k = 0; k <= i; k++) {
                    have.add(k);
                }
                awaitAnnounced(subnet, "1.0.1", have);
                String row = pluginsRow(subnet);
                assertTrue(row.contains("1.0.0 [0, 1, 2, 3]") && row.contains("1.0.1 " + have), row);
                if (i == 1) {
                    OutcallsProcess.Result refused = admin(subnet, "enable", TAG + "@1.0.1");
                    assertEquals(1, refused.exitCode(), refused.stdout() + refused.stderr());
                    assertTrue(refused.stderr().contains(TAG + "@1.0.1 is installed on 2 of 4 replicas (0, 1) and missing on "
                            + "replicas 2, 3; n - f = 3 must have it before it is enabled"), refused.stderr());
                    assertEquals("1.0.0", subnet.status(0).path("enabled_plugins").path(TAG).asText(), "nothing was enabled");
                }
                if (i == 2) {
                    switched = enable(subnet, "1.0.1");
                    assertTrue(pluginsRow(subnet).matches(TAG + " +1\\.0\\.1 .*"), pluginsRow(subnet));
                    // replica 3 lacks the enabled version: it says so itself, and replica 0 sees it from its announcement
                    JsonNode three = Waits.awaitReply(() -> subnet.getJson(3, "/api/v1/subnet"),
                            r -> r.body().path("this_replica").path("state").asText().equals("degraded"), SEEN).body();
                    assertEquals("[\"" + TAG + "@1.0.1\"]", three.path("missing_plugins").toString(), three.toString());
                    JsonNode zero = subnet.status(0);
                    assertEquals("[\"" + TAG + "@1.0.1\"]", zero.path("missing_plugins").toString(), zero.toString());
                    assertEquals("[\"" + TAG + "@1.0.1\"]", zero.path("replicas").get(3).path("missing_plugins").toString());
                    assertEquals("up", zero.path("this_replica").path("state").asText());
                    awaitMore(load.ids, 10); // outcalls made while replica 3 cannot transform them
                }
            }
            Waits.awaitReply(() -> subnet.getJson(3, "/api/v1/subnet"),
                    r -> r.body().path("this_replica").path("state").asText().equals("up"), SEEN);
            Waits.awaitUntil("no replica misses a plugin", () -> subnet.status(0).path("missing_plugins").isEmpty(), SEEN);

            // 1.0.0 leaves every host while the load goes on
            for (int i = 0; i < 4; i++) {
                Files.delete(subnet.plugins(i).resolve("tag-1.0.0.jar"));
            }
            awaitAnnounced(subnet, "1.0.0", List.of());
            awaitMore(load.ids, 10);
            List<String> ids = load.stop();

            Map<String, Integer> byVersion = checkEveryOutcall(subnet, ids, switched);
            assertTrue(byVersion.getOrDefault("1.0.0", 0) >= 10 && byVersion.getOrDefault("1.0.1", 0) >= 10,
                    "outcalls per version: " + byVersion);
            for (int i = 1; i < 4; i++) {
                subnet.awaitSameState(i, 0, READY);
            }
            System.out.printf("rollout of %s 1.0.0 -> 1.0.1 on 4 replica processes: %d outcalls %s, enabled at height %d; "
                    + "whole test %.0f s%n", TAG, ids.size(), byVersion, switched, (System.nanoTime() - started) / 1e9);
            for (int i = 0; i < 4; i++) {
                assertEquals(0, subnet.procs.get(i).stop(), "replica " + i + " stops cleanly");
            }
        }
    }

    /**
     * Each outcall completed once, by the version it pinned (1.0.0 before the enabling block, 1.0.1
     * after it), with the same result on every replica; returns the count per version.
     */
    private static Map<String, Integer> checkEveryOutcall(HostedSubnet subnet, List<String> ids, long switched)
            throws Exception {
        Map<String, Integer> byVersion = new TreeMap<>();
        for (String id : ids) {
            JsonNode r = subnet.await(0, id);
            assertEquals("completed", r.path("status").asText(), r.toString());
            String version = r.path("context").path("transform_version").asText();
            long submitted = r.path("submitted_height").asLong();
            if (submitted < switched) {
                assertEquals("1.0.0", version, "made before 1.0.1 was enabled: " + r);
            } else if (submitted > switched) {
                assertEquals("1.0.1", version, "made after 1.0.1 was enabled: " + r);
            }
            assertEquals("tag " + version + ": " + HELLO, body(r), "transformed by the version it pinned: " + r);
            JsonNode cycles = r.path("cycles");
            assertEquals(cycles.path("attached").asLong(), cycles.path("charged").asLong() + cycles.path("refunded").asLong(),
                    "delivered once: " + r);
            for (int i = 1; i < 4; i++) {
                JsonNode other = subnet.await(i, id);
                assertEquals(r.path("height"), other.path("height"), "replica " + i + " delivered " + id + " at another height");
                assertEquals(r.path("response"), other.path("response"), "replica " + i + " has another result for " + id);
                assertEquals(r.path("context"), other.path("context"), "replica " + i + " pinned another context for " + id);
            }
            byVersion.merge(version, 1, Integer::sum);
        }
        return byVersion;
    }

    /**
     * The load is signed by replica 0's gateway (loopback, no API key), whose account starts empty on
     * a multi-host subnet: one outcall tells its principal, as it tells an operator, and the admin
     * tops it up ({@code outcalls admin top-up}).
     */
    private static void topUpTheGateway(HostedSubnet subnet, String url) throws Exception {
        JsonNode probe = subnet.await(0, subnet.submit(0, url, 4096));
        Matcher m = Pattern.compile("account of caller ([0-9a-f]{64}) holds 0 cycles").matcher(probe.toString());
        assertTrue(m.find(), "an empty account refuses the outcall: " + probe);
        OutcallsProcess.Result r = admin(subnet, "top-up", m.group(1), "1000000000000000");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        JsonNode paid = subnet.await(0, subnet.submit(0, url, 4096, TAG));
        assertEquals("tag 1.0.0: " + HELLO, body(paid), paid.toString());
    }

    /** Copies the jar into replica {@code i}'s plugins/ atomically, as the README says (FileInstall never sees half a file). */
    private static void drop(HostedSubnet subnet, Path jar, int i) throws Exception {
        String version = jar.getFileName().toString().replaceAll(".*-(\\d+\\.\\d+\\.\\d+)\\.jar", "$1");
        Path staged = temp.resolve("tag-" + version + ".jar.part");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, subnet.plugins(i).resolve("tag-" + version + ".jar"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Replica 0's gateway lists {@code TAG@version} as installed on exactly the replicas {@code have}. */
    private static void awaitAnnounced(HostedSubnet subnet, String version, List<Integer> have) throws Exception {
        Waits.awaitUntil(TAG + "@" + version + " installed on replicas " + have + " only", () -> {
            List<Integer> seen = new ArrayList<>();
            for (JsonNode r : subnet.status(0).path("replicas")) {
                for (JsonNode p : r.path("installed_plugins")) {
                    if (p.asText().equals(TAG + "@" + version)) {
                        seen.add(r.path("index").asInt());
                    }
                }
            }
            return seen.equals(have);
        }, SEEN);
    }

    /** {@code outcalls admin enable TAG@version} through replica 0's gateway; the height it took effect at. */
    private static long enable(HostedSubnet subnet, String version) throws Exception {
        OutcallsProcess.Result r = admin(subnet, "enable", TAG + "@" + version);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        Matcher m = DONE_AT.matcher(r.stdout());
        assertTrue(m.find(), r.stdout());
        assertTrue(r.stdout().contains("\"" + TAG + "\":\"" + version + "\""), r.stdout());
        return Long.parseLong(m.group(1));
    }

    private static OutcallsProcess.Result admin(HostedSubnet subnet, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--key", subnet.adminKey().toString(), "--gateway", subnet.gateway(0)));
        return OutcallsProcess.run(subnet.home, temp, CLI, all.toArray(String[]::new));
    }

    /** The row of {@code outcalls plugins} for the tag transform. */
    private static String pluginsRow(HostedSubnet subnet) throws Exception {
        OutcallsProcess.Result r = OutcallsProcess.run(subnet.home, temp, CLI, "plugins", "--gateway", subnet.gateway(0));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout().lines().filter(l -> l.startsWith(TAG + " ")).findFirst().orElseThrow(() -> new AssertionError(
                "no " + TAG + " in `outcalls plugins`: " + r.stdout()));
    }

    private static void awaitMore(List<String> ids, int more) throws Exception {
        int target = ids.size() + more;
        Waits.awaitUntil(more + " more outcalls submitted", () -> ids.size() >= target, READY);
    }

    private static String body(JsonNode r) {
        return new String(Base64.getDecoder().decode(r.path("response").path("body").asText()), StandardCharsets.UTF_8);
    }
}
