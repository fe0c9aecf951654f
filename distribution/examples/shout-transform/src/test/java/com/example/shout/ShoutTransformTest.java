package com.example.shout;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.ClassRule;
import org.junit.Test;
import org.outcalls.testkit.OutcallsRule;
import org.outcalls.testkit.origin.ScriptedOrigin;

/** The transform on an in-JVM subnet of four replicas, fetching from a scripted HTTPS origin. */
public class ShoutTransformTest {
    @ClassRule
    public static final OutcallsRule OUTCALLS = OutcallsRule.replicas(4)
            .plugin(new ShoutTransform())
            // every replica gets its own x-replica header: without a transform, they cannot agree
            .route("/hello", r -> ScriptedOrigin.Reply.text("hello from the origin")
                    .withHeader("x-replica", Integer.toString(r.replica())));

    @Test
    public void shoutingDropsTheHeadersThatDifferSoTheReplicasAgree() throws Exception {
        JsonNode r = OUTCALLS.call(OUTCALLS.get("/hello").transform("shout", ""));
        assertEquals(r.toString(), "completed", r.path("status").asText());
        assertEquals("HELLO FROM THE ORIGIN", OUTCALLS.bodyText(r));
        assertEquals(0, r.path("response").path("headers").size());
    }

    @Test
    public void withoutItTheyDoNot() throws Exception {
        JsonNode r = OUTCALLS.call(OUTCALLS.get("/hello"));
        assertEquals(r.toString(), "no_consensus", r.path("reject").path("kind").asText());
    }
}
