package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.byzantine.FaultScripts;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * The scripted fault modes of {@code outcalls run --fault} with f faulty replicas: the honest ones
 * keep agreeing on identical responses and on medians within the honest values.
 */
class FaultModesTest {
    private static final String TRUTH = "the origin's answer";

    private static ScriptedOrigin origin() throws Exception {
        // replica i sees price 100 + i: honest medians lie within the honest replicas' prices
        return ScriptedOrigin.start().route("/truth", r -> ScriptedOrigin.Reply.text(TRUTH))
                .route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":" + (100 + Math.max(0, r.replica())) + "}"));
    }

    private static String body(JsonNode r) {
        return new String(Base64.getDecoder().decode(r.path("response").path("body").asText()), StandardCharsets.UTF_8);
    }

    private static String median(ScriptedOrigin origin) {
        return "{\"url\":\"" + origin.url("/price") + "\",\"policy\":\"median\",\"transform\":{\"name\":\"number\","
                + "\"context\":\"" + Base64.getEncoder().encodeToString("/price".getBytes(StandardCharsets.UTF_8)) + "\"}}";
    }

    private static long invalidArtifactsSeenByHonest(TestSubnet subnet, int honest) {
        long sum = 0;
        for (Diagnostics.ReplicaView v : subnet.node().diagnostics().replicas()) {
            if (v.index() < honest) {
                sum += v.counters().get("invalid_artifacts");
            }
        }
        return sum;
    }

    @ParameterizedTest(name = "n = {0}, {1} faulty makers")
    @CsvSource({"4, 1", "7, 2"})
    void makersThatAnswerOthersRequestsUnderAnotherPolicyAreRefused(int n, int f) throws Exception {
        try (ScriptedOrigin origin = origin();
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().replicas(n).origin(origin)
                     .faulty(f, LocalSubnet.Fault.FORGE_POLICY)).start()) {
            // Keep calling until the faulty makers have proposed forged items (refused blocks count
            // as invalid artifacts): every outcall in the meantime gets the origin's answer.
            for (int i = 0; i < 40 && (i < 5 || invalidArtifactsSeenByHonest(subnet, n - f) == 0); i++) {
                JsonNode r = subnet.call("{\"url\":\"" + origin.url("/truth") + "\"}");
                assertEquals("completed", r.path("status").asText(), r.toString());
                assertEquals(TRUTH, body(r));
                assertNotEquals(FaultScripts.FORGED_BODY, body(r));
            }
            assertTrue(invalidArtifactsSeenByHonest(subnet, n - f) > 0, "the faulty makers proposed forged items");
            assertTrue(subnet.stateHashesAgree());
        }
    }

    @ParameterizedTest(name = "n = {0}, {1} faulty")
    @CsvSource({"4, 1", "7, 2"})
    void extremeValuesAndMaximalContentsNeitherBendNorHaltTheSubnet(int n, int f) throws Exception {
        try (ScriptedOrigin origin = origin();
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().replicas(n).origin(origin)
                     .faulty(f, LocalSubnet.Fault.EXTREME_VALUE)).start()) {
            for (int i = 0; i < 4; i++) {
                JsonNode m = subnet.call(median(origin));
                assertEquals("completed", m.path("status").asText(), m.toString());
                BigDecimal value = new BigDecimal(m.path("value").path("median").asText());
                assertTrue(value.compareTo(BigDecimal.valueOf(100)) >= 0
                        && value.compareTo(BigDecimal.valueOf(100 + n - f - 1)) <= 0, "median " + value + " within the honest prices");
                JsonNode r = subnet.call("{\"url\":\"" + origin.url("/truth") + "\"}");
                assertEquals("completed", r.path("status").asText(), r.toString());
                assertEquals(TRUTH, body(r));
            }
            assertTrue(subnet.stateHashesAgree());
        }
    }

    @ParameterizedTest(name = "n = {0}, {1} flooding")
    @CsvSource({"4, 1", "7, 2"})
    void floodingPeersDoNotStopTheOthers(int n, int f) throws Exception {
        try (ScriptedOrigin origin = origin();
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().replicas(n).origin(origin)
                     .faulty(f, LocalSubnet.Fault.FLOOD)).start()) {
            long before = subnet.honest().get(0).height();
            for (int i = 0; i < 4; i++) {
                JsonNode r = subnet.call("{\"url\":\"" + origin.url("/truth") + "\"}");
                assertEquals("completed", r.path("status").asText(), r.toString());
                assertEquals(TRUTH, body(r));
                JsonNode m = subnet.call(median(origin));
                assertEquals("completed", m.path("status").asText(), m.toString());
            }
            subnet.awaitHeight(before + 5, Duration.ofSeconds(60));
            assertTrue(subnet.stateHashesAgree());
        }
    }
}
