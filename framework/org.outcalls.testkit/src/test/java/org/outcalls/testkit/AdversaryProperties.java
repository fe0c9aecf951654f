package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Up to f replicas do whatever their keys allow, drawn from a seed (see {@link RandomAdversary}):
 * the honest replicas never deliver a response that no honest replica fetched, a median always lies
 * within the honest values, they never fork, and they keep finalizing. 200 tries per run by default, each at n = 4 or 7
 * ({@code junit-platform.properties}); more with {@code -Djqwik.tries.default=N}. A failure names
 * its size and seed; the drawn behaviour is in the message, and {@code -Dadversary.n=N -Dadversary.seed=S}
 * limits a run to them (each try then draws the same behaviour; the subnets, shared by all tries,
 * have the history of the run's earlier tries, so a replay repeats the draws, not the whole run).
 */
class AdversaryProperties {
    private static final String TRUTH = "the origin's answer";
    private static final Map<Integer, TestSubnet> SUBNETS = new TreeMap<>();
    private static ScriptedOrigin origin;

    @BeforeContainer
    static void start() throws Exception {
        // replica i sees price 100 + i, and everyone the same truth
        origin = ScriptedOrigin.start().route("/truth", r -> ScriptedOrigin.Reply.text(TRUTH))
                .route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":" + (100 + Math.max(0, r.replica())) + "}"));
        ConsensusTiming quick = new ConsensusTiming(Duration.ofMillis(60), Duration.ofMillis(300), Duration.ofSeconds(2), 64);
        for (int n : new int[] {4, 7}) {
            SUBNETS.put(n, BundledPlugins.all(TestSubnet.builder().replicas(n).origin(origin).timing(quick)
                    .faulty((n - 1) / 3, LocalSubnet.Fault.SCRIPTED)).start());
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        for (TestSubnet s : SUBNETS.values()) {
            s.close();
        }
        origin.close();
    }

    @Provide
    Arbitrary<Integer> sizes() {
        String fixed = System.getProperty("adversary.n");
        return fixed == null ? Arbitraries.of(4, 7) : Arbitraries.just(Integer.parseInt(fixed));
    }

    @Provide
    Arbitrary<Long> seeds() {
        String fixed = System.getProperty("adversary.seed");
        return fixed == null ? Arbitraries.longs() : Arbitraries.just(Long.parseLong(fixed));
    }

    @Property(shrinking = ShrinkingMode.OFF)
    void honestReplicasAgreeOnlyOnWhatHonestReplicasFetched(@ForAll("sizes") int n, @ForAll("seeds") long seed)
            throws Exception {
        TestSubnet subnet = SUBNETS.get(n);
        int f = (n - 1) / 3;
        Random random = new Random(seed);
        List<String> drawn = new ArrayList<>();
        for (int i = n - f; i < n; i++) {
            drawn.add(RandomAdversary.apply(subnet.adversary(i), random));
        }
        String why = "n = " + n + ", seed " + seed + " (replay: -Dadversary.n=" + n + " -Dadversary.seed=" + seed + "): "
                + String.join(" ", drawn);
        long before = subnet.honest().stream().mapToLong(r -> r.height()).min().orElseThrow();
        try {
            boolean median = random.nextBoolean();
            String id = subnet.submit(median ? median() : "{\"url\":\"" + origin.url("/truth") + "\"}");
            if (random.nextBoolean()) {
                Thread.sleep(random.nextInt(40));
                for (int i = n - f; i < n; i++) {
                    Random injections = new Random(seed + i);
                    org.outcalls.replica.byzantine.Adversary a = subnet.adversary(i);
                    a.every(Duration.ZERO, () -> {
                        RandomAdversary.inject(a, injections);
                        return false;
                    });
                }
            }
            JsonNode r;
            try {
                r = subnet.await(id, Duration.ofSeconds(60));
            } catch (AssertionError e) {
                throw new AssertionError(why + "\n" + e.getMessage(), e);
            }
            assertEquals("completed", r.path("status").asText(), why + "\n" + r);
            if (median) {
                BigDecimal value = new BigDecimal(r.path("value").path("median").asText());
                assertTrue(value.compareTo(BigDecimal.valueOf(100)) >= 0 && value.compareTo(BigDecimal.valueOf(100 + n - f - 1)) <= 0,
                        why + "\nmedian " + value + " is not within the honest prices 100.." + (100 + n - f - 1));
            } else {
                assertEquals(TRUTH, new String(Base64.getDecoder().decode(r.path("response").path("body").asText()),
                        StandardCharsets.UTF_8), why);
            }
            for (org.outcalls.replica.Replica honest : subnet.honest()) {
                assertTrue(honest.halted().isEmpty(), why + "\nan honest replica halted: " + honest.halted().orElse(""));
            }
            try {
                subnet.awaitHeight(Math.max(before + 1, r.path("height").asLong()), Duration.ofSeconds(60));
            } catch (AssertionError e) {
                throw new AssertionError(why + "\n" + e.getMessage(), e);
            }
            assertTrue(subnet.stateHashesAgree(), why + "\nhonest state hashes differ");
            assertNoFork(subnet, n - f, why);
        } finally {
            for (int i = n - f; i < n; i++) {
                subnet.adversary(i).honest();
            }
        }
    }

    private static String median() {
        return "{\"url\":\"" + origin.url("/price") + "\",\"policy\":\"median\",\"transform\":{\"name\":\"number\","
                + "\"context\":\"" + Base64.getEncoder().encodeToString("/price".getBytes(StandardCharsets.UTF_8)) + "\"}}";
    }

    /** Every honest replica finalized the same block at every height they both still remember. */
    private static void assertNoFork(TestSubnet subnet, int honest, String why) {
        LocalSubnet s = subnet.subnet();
        List<Long> heights = s.finalizedHeights();
        long top = heights.subList(0, honest).stream().mapToLong(Long::longValue).min().orElseThrow();
        for (long h = Math.max(1, top - 20); h <= top; h++) {
            Hash first = null;
            for (int i = 0; i < honest; i++) {
                Hash mine = s.finalizedHash(i, h);
                if (mine != null && first != null) {
                    assertEquals(first, mine, why + "\nreplicas finalized different blocks at height " + h);
                }
                first = first == null ? mine : first;
            }
        }
    }
}
