package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.outcalls.testkit.origin.ScriptedOrigin;

/** An origin that never answers: no shares arrive, and block time ends the request. */
class ConsensusTimeoutTest {

    @Test
    void noAgreementBeforeTheTimeoutIsSysTransientTimeout() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start().route("/hang", r -> ScriptedOrigin.Reply.never());
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().origin(origin)
                     .consensusTimeout(Duration.ofSeconds(2))).start()) {
            JsonNode r = subnet.call("{\"url\":\"" + origin.url("/hang") + "\"}");
            OutcallEndToEndTest.assertReject(r, "SYS_TRANSIENT", "timeout");
            assertTrue(r.path("reject").path("message").asText().contains("2000 ms"), r.toString());
            assertTrue(subnet.stateHashesAgree());
        }
    }
}
