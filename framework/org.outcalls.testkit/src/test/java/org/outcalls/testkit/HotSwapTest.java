package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformName;
import org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy;
import org.outcalls.replica.Replica;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Plugin versions swapped under load while the subnet runs, as operators roll them out: install the
 * next version beside the current one, activate it through the registry, remove the old one. A
 * request is transformed and decided by the versions enabled when it was made, whatever happens
 * after: no request fails because of a swap, and every one is answered by exactly one version.
 */
class HotSwapTest {
    /**
     * A transform whose output names its version, so a result shows which version made it (the
     * version a bundle build would give it, here a field: the same class stands for every build).
     */
    @TransformName("suffix")
    record Suffix(String version) implements Transform {
        @Override
        public HttpResponse apply(HttpResponse response, byte[] context) {
            return HttpResponse.of(response.status(), List.of(),
                    (new String(response.body(), StandardCharsets.UTF_8) + " via " + version).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final int SWAPS = Integer.getInteger("hotswap.swaps", 100);

    @Test
    void aHundredUpdatesAndRemovalsOfATransformAndAPolicyUnderLoadFailNoRequest() throws Exception {
        ConsensusTiming quick = new ConsensusTiming(Duration.ofMillis(60), Duration.ofMillis(300), Duration.ofSeconds(2), 64);
        Suffix transform = new Suffix("1.0.0");
        TwoThirdsPolicy policy = new TwoThirdsPolicy();
        try (ScriptedOrigin origin = ScriptedOrigin.start().route("/", r -> ScriptedOrigin.Reply.text("answer"));
             TestSubnet subnet = TestSubnet.builder().origin(origin).timing(quick).plugin(transform, transform.version())
                     .plugin(policy, "1.0.0")
                     .enableInstalled().start()) {
            String request = "{\"url\":\"" + origin.url("/") + "\",\"transform\":{\"name\":\"suffix\"}}";
            Map<String, JsonNode> results = new ConcurrentHashMap<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Thread t = new Thread(() -> {
                    while (loading.get()) {
                        String id = subnet.submit(request);
                        try {
                            results.put(id, subnet.await(id, Duration.ofSeconds(60)));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "load-" + i);
                t.start();
                load.add(t);
            }
            int keptForRequestsInFlight = 0;
            for (int k = 1; k <= SWAPS; k++) {
                String next = "1.0." + k;
                Suffix nextTransform = new Suffix(next);
                TwoThirdsPolicy nextPolicy = new TwoThirdsPolicy();
                subnet.install(nextTransform, next);
                subnet.install(nextPolicy, next);
                subnet.node().enablePlugin("suffix", next).toCompletableFuture().get();
                subnet.node().enablePlugin("two-thirds", next).toCompletableFuture().get();
                awaitEnabled(subnet, Map.of("suffix", next, "two-thirds", next));
                subnet.uninstall(transform);
                subnet.uninstall(policy);
                keptForRequestsInFlight = Math.max(keptForRequestsInFlight, subnet.retiredPlugins());
                transform = nextTransform;
                policy = nextPolicy;
                Thread.sleep(100); // requests are made under each version and are in flight at the next swap
            }
            loading.set(false);
            for (Thread t : load) {
                t.join(120_000);
            }
            Map<String, Integer> byVersion = new TreeMap<>();
            for (JsonNode r : results.values()) {
                assertEquals("completed", r.path("status").asText(), r.toString());
                String body = new String(Base64.getDecoder().decode(r.path("response").path("body").asText()),
                        StandardCharsets.UTF_8);
                assertTrue(body.startsWith("answer via 1.0."), body);
                byVersion.merge(body.substring("answer via ".length()), 1, Integer::sum);
            }
            assertTrue(results.size() >= SWAPS / 2, "outcalls completed during the swaps: " + results.size());
            assertTrue(byVersion.size() >= SWAPS / 10, "results came from many versions: " + byVersion);
            assertTrue(keptForRequestsInFlight > 0, "a removed version was still pinned by a request in flight at some swap");
            // once nothing in flight pins them, the removed versions are released
            long top = subnet.honest().get(0).height();
            subnet.awaitHeight(top + 2, Duration.ofSeconds(30));
            assertEquals(0, subnet.retiredPlugins(), "retired versions kept after every request closed");
            assertTrue(subnet.stateHashesAgree());
        }
    }

    private static void awaitEnabled(TestSubnet subnet, Map<String, String> versions) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Replica r : subnet.honest()) {
                for (Map.Entry<String, String> e : versions.entrySet()) {
                    all &= r.registry().pluginVersion(e.getKey()).map(e.getValue()::equals).orElse(false);
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the registry did not enable " + versions + " on every replica within 30 s");
    }
}
