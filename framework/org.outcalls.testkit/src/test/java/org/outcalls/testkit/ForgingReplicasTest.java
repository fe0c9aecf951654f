package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;

/** Replicas that sign a made-up response: up to f cannot stop the truth, f+1 cannot impose a lie. */
class ForgingReplicasTest {
    private static final String TRUTH = "the origin's answer";

    private static String body(JsonNode r) {
        return new String(Base64.getDecoder().decode(r.path("response").path("body").asText()), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "n = {0}, {1} forgers")
    @CsvSource({"4, 1", "7, 2"})
    void fForgersCannotStopTheHonestResponse(int n, int forgers) throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start().route("/", r -> ScriptedOrigin.Reply.text(TRUTH));
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().replicas(n).origin(origin)
                     .faulty(forgers, LocalSubnet.Fault.FORGE_OUTCALLS)).start()) {
            for (int i = 0; i < 5; i++) {
                JsonNode r = subnet.call("{\"url\":\"" + origin.url("/") + "\"}");
                assertEquals("completed", r.path("status").asText(), r.toString());
                assertEquals(TRUTH, body(r));
            }
            assertTrue(subnet.stateHashesAgree());
        }
    }

    @ParameterizedTest(name = "n = {0}, {1} colluding forgers")
    @CsvSource({"4, 2", "7, 3"})
    void fPlusOneForgersNeverGetTheirLieAccepted(int n, int forgers) throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start().route("/", r -> ScriptedOrigin.Reply.text(TRUTH));
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().replicas(n).origin(origin)
                     .faulty(forgers, LocalSubnet.Fault.FORGE_OUTCALLS)).start()) {
            for (int i = 0; i < 5; i++) {
                JsonNode r = subnet.call("{\"url\":\"" + origin.url("/") + "\"}");
                // Neither the n − (f+1) honest replicas nor the f+1 forgers reach n − f: no response is agreed.
                assertEquals("rejected", r.path("status").asText(), r.toString());
                assertEquals("no_consensus", r.path("reject").path("kind").asText(), r.toString());
                assertNotEquals(org.outcalls.replica.byzantine.FaultScripts.FORGED_BODY, body(r));
            }
            assertTrue(subnet.stateHashesAgree());
        }
    }
}
