package org.outcalls.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.ClassRule;
import org.junit.Test;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;

/** The JUnit 4 rule: standard plugins, a per-replica origin and a fault mode, as a plugin author uses them. */
public class OutcallsRuleTest {
    @ClassRule
    public static final OutcallsRule OUTCALLS = OutcallsRule.replicas(4)
            .faulty(1, LocalSubnet.Fault.FORGE_OUTCALLS)
            .route("/quote", r -> ScriptedOrigin.Reply.json("{\"symbol\":\"ICP\",\"price\":" + (7 + r.replica()) + "}"));

    @Test
    public void aJsonTransformMakesDifferingAnswersAgreeDespiteAForger() throws Exception {
        JsonNode r = OUTCALLS.call(OUTCALLS.get("/quote").transform("json", "/symbol"));
        assertEquals(r.toString(), "completed", r.path("status").asText());
        assertEquals("{\"/symbol\":\"ICP\"}", OUTCALLS.bodyText(r));
        assertTrue(OUTCALLS.subnet().stateHashesAgree());
    }

    @Test
    public void eachReplicaIsServedItsOwnAnswerSoTheRawQuoteDoesNotAgree() throws Exception {
        JsonNode r = OUTCALLS.call(OUTCALLS.get("/quote"));
        assertEquals(r.toString(), "no_consensus", r.path("reject").path("kind").asText());
    }

    @Test
    public void theMedianPolicyAggregatesTheNumbers() throws Exception {
        JsonNode r = OUTCALLS.call(OUTCALLS.get("/quote").transform("number", "/price").policy("median"));
        assertEquals(r.toString(), "completed", r.path("status").asText());
        // honest replicas 0..2 answer 7, 8, 9; the forger's share is not a number the median counts
        assertEquals(r.toString(), "8", r.path("value").path("median").asText());
        assertEquals(r.toString(), 3, r.path("value").path("count").asInt());
    }
}
