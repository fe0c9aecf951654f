package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.outcalls.api.Decimals;
import org.outcalls.replica.Replica;
import org.outcalls.testkit.origin.HostileBodies;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Issue "Adversaries", point 2: one HTTPS response with a pathological number must not halt the
 * subnet. A real 4-replica subnet makes median outcalls ({@code number:/p}) through the proxy
 * canister to an origin that answers each replica what the test scripts.
 */
@Timeout(600) // before the decimal range, replicas spent a minute rendering 10^999999999, then ran out of memory
class PathologicalNumbersTest {
    static final String HUNDRED_THOUSAND_DIGITS = "9".repeat(100_000);
    static ScriptedOrigin origin;
    static TestSubnet subnet;
    /** What the origin answers on /p, per replica (-1: any replica). */
    static final Map<Integer, String> answers = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptedOrigin.start().route("/p", r -> ScriptedOrigin.Reply.json(
                answers.getOrDefault(r.replica(), answers.get(-1))));
        subnet = BundledPlugins.all(TestSubnet.builder().origin(origin)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    private static JsonNode medianOf(String everyone, Map<Integer, String> perReplica) throws Exception {
        answers.clear();
        answers.put(-1, everyone);
        answers.putAll(perReplica);
        return subnet.call(OutcallJson.get(origin.url("/p")).transform("number", "/p").policy("median").toJson());
    }

    /** Every replica up, at the same state hash, and a normal median outcall still completes. */
    private static void assertSubnetHealthy() throws Exception {
        for (Replica r : subnet.subnet().replicas()) {
            assertTrue(r.halted().isEmpty(), "a replica halted: " + r.halted());
        }
        JsonNode normal = medianOf("{\"p\":12.5}", Map.of());
        assertEquals("completed", normal.path("status").asText(), normal.toString());
        assertEquals("12.5", normal.path("value").path("median").asText(), normal.toString());
        assertTrue(subnet.stateHashesAgree(), "state hashes differ");
        subnet.awaitHeight(subnet.honest().get(0).height(), java.time.Duration.ofSeconds(30));
    }

    private static void assertOutOfRange(JsonNode r, String shown) {
        OutcallEndToEndTest.assertReject(r, "CANISTER_ERROR", "transform_error");
        String message = r.path("reject").path("message").asText();
        assertTrue(message.contains(shown) && message.contains("outside the decimal range"), message);
    }

    @Test
    void anExponentOfNearlyOneBillionIsATransformErrorAndTheSubnetGoesOn() throws Exception {
        assertOutOfRange(medianOf(HostileBodies.hugeExponent("p"), Map.of()), "1e+999999999");
        assertSubnetHealthy();
    }

    @Test
    void aNegativeExponentOfNearlyOneBillionIsATransformError() throws Exception {
        assertOutOfRange(medianOf(HostileBodies.tinyExponent("p"), Map.of()), "1e-999999999");
        assertSubnetHealthy();
    }

    @Test
    void theLargestExponentADecimalCanHoldIsATransformError() throws Exception {
        assertOutOfRange(medianOf("{\"p\":1E+2147483647}", Map.of()), "1e+2147483647");
        assertSubnetHealthy();
    }

    @Test
    void aHundredThousandDigitIntegerIsATransformError() throws Exception {
        JsonNode r = medianOf("{\"p\":" + HUNDRED_THOUSAND_DIGITS + "}", Map.of());
        OutcallEndToEndTest.assertReject(r, "CANISTER_ERROR", "transform_error");
        assertTrue(r.path("reject").path("message").asText().contains("1000"), r.toString());
        JsonNode quoted = medianOf("{\"p\":\"" + HUNDRED_THOUSAND_DIGITS + "\"}", Map.of());
        OutcallEndToEndTest.assertReject(quoted, "CANISTER_ERROR", "transform_error");
        assertSubnetHealthy();
    }

    @Test
    void negativeZeroIsZero() throws Exception {
        JsonNode r = medianOf("{\"p\":-0}", Map.of());
        assertEquals("completed", r.path("status").asText(), r.toString());
        assertEquals("0", r.path("value").path("median").asText(), r.toString());
        assertSubnetHealthy();
    }

    @Test
    void oneReplicasOriginAnsweringAnOutOfRangeValueLeavesTheMedianOfTheOthers() throws Exception {
        JsonNode r = medianOf("{\"p\":12.25}", Map.of(3, HostileBodies.hugeExponent("p")));
        assertEquals("completed", r.path("status").asText(), r.toString());
        JsonNode value = r.path("value");
        assertEquals(3, value.path("count").asInt(), r.toString());
        assertEquals("12.25", value.path("max").asText(), r.toString());
        assertSubnetHealthy();
    }

    @Test
    void theExtremesOfTheRangeAreAgreedAndRenderedInFull() throws Exception {
        String largest = "9".repeat(Decimals.MAX_DIGITS) + "e" + (Decimals.MAX_EXPONENT - Decimals.MAX_DIGITS + 1);
        JsonNode r = medianOf("{\"p\":" + largest + "}", Map.of());
        assertEquals("completed", r.path("status").asText(), r.toString());
        assertEquals("9".repeat(Decimals.MAX_DIGITS) + "0", r.path("value").path("median").asText(), "in full");
        String smallest = "-1e" + Decimals.MIN_EXPONENT;
        JsonNode s = medianOf("{\"p\":" + smallest + "}", Map.of());
        assertEquals("completed", s.path("status").asText(), s.toString());
        assertEquals(0, new java.math.BigDecimal(smallest).compareTo(
                new java.math.BigDecimal(s.path("value").path("median").asText())));
        assertSubnetHealthy();
    }
}
