package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.Replica;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * One replica lacks a plugin the others have (hidden from it with {@code LocalSubnet.hidePlugins}):
 * it reports it, does not fetch or validate what needs it, never decides differently, follows the
 * blocks the others notarized, and the subnet goes on agreeing with the replicas that have it.
 */
class MissingPluginTest {
    private static final int LACKING = 3;
    private ScriptedOrigin origin;
    private TestSubnet subnet;

    @BeforeEach
    void start() throws Exception {
        origin = ScriptedOrigin.start()
                .route("/echo", r -> ScriptedOrigin.Reply.text("posted " + r.bodyText()))
                .route("/fixed", r -> ScriptedOrigin.Reply.text("the same for everyone"))
                .route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":" + (100 + Math.max(0, r.replica())) + "}"));
        subnet = BundledPlugins.all(TestSubnet.builder().origin(origin)).start();
    }

    @AfterEach
    void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    @Test
    void aReplicaWithoutMethodsSendsNoPostReportsItAndKeepsExecuting() throws Exception {
        subnet.subnet().hidePlugins(LACKING, List.of("methods"));
        JsonNode r = subnet.call("{\"url\":\"" + origin.url("/echo") + "\",\"method\":\"POST\",\"body\":\""
                + b64("x=1") + "\"}");
        assertEquals("completed", r.path("status").asText(), r.toString());
        assertEquals("posted x=1", text(r.path("response").path("body").asText()));
        Set<Integer> senders = origin.requests("/echo").stream().map(ScriptedOrigin.Request::replica)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(0, 1, 2), senders, "the replica without the plugin sent nothing");

        assertEquals(List.of("methods@" + BundledPlugins.VERSION), missing(LACKING));
        assertEquals(List.of(), missing(0));
        assertEquals(List.of("methods@" + BundledPlugins.VERSION), subnet.node().status().missingPlugins());
        // It keeps executing every block: all four reach the same height with the same state.
        long height = r.path("height").asLong();
        subnet.awaitHeight(height, Duration.ofSeconds(30));
        assertTrue(subnet.stateHashesAgree());
        assertNobodyBlamed();
    }

    @Test
    void aReplicaWithoutMedianFollowsTheNotarizedBlocksItCannotCheckWithoutVotingForThem() throws Exception {
        subnet.subnet().hidePlugins(LACKING, List.of("median"));
        JsonNode r = subnet.call("{\"url\":\"" + origin.url("/price") + "\",\"policy\":\"median\","
                + "\"transform\":{\"name\":\"number\",\"context\":\"" + b64("/price") + "\"}}");
        assertEquals("completed", r.path("status").asText(), r.toString());
        assertEquals(3, r.path("value").path("count").asInt(), "the three replicas with the policy decided");
        assertEquals("101", r.path("value").path("median").asText());
        assertEquals(Set.of(0, 1, 2), origin.requests("/price").stream().map(ScriptedOrigin.Request::replica)
                .collect(Collectors.toCollection(TreeSet::new)), "the replica without the policy did not fetch");
        long delivered = r.path("height").asLong();
        assertEquals(List.of("median@" + BundledPlugins.VERSION), missing(LACKING));

        // It cannot check the block that carries the median, but n − f notaries did: it follows it
        // (executes it, with the same state as the others) and goes on with the subnet.
        JsonNode later = subnet.call("{\"url\":\"" + origin.url("/fixed") + "\"}");
        assertEquals("completed", later.path("status").asText(), later.toString());
        subnet.awaitHeight(later.path("height").asLong(), Duration.ofSeconds(60));
        Replica lacking = subnet.subnet().replicas().get(LACKING);
        assertTrue(lacking.height() >= delivered, "replica " + LACKING + " executed height " + lacking.height()
                + ", the median result was delivered at " + delivered);
        assertTrue(subnet.stateHashesAgree());
        assertEquals(List.of("median@" + BundledPlugins.VERSION), missing(LACKING), "it still says what it lacks");
        assertNobodyBlamed();

        subnet.subnet().hidePlugins(LACKING, List.of());
        JsonNode again = subnet.call("{\"url\":\"" + origin.url("/price") + "\",\"policy\":\"median\","
                + "\"transform\":{\"name\":\"number\",\"context\":\"" + b64("/price") + "\"}}");
        assertEquals("completed", again.path("status").asText(), again.toString());
        subnet.awaitHeight(again.path("height").asLong(), Duration.ofSeconds(60));
        assertTrue(subnet.stateHashesAgree(), "with the plugin back it has the same state as the others");
        assertEquals(List.of(), missing(LACKING));
        assertNobodyBlamed();
    }

    @Test
    void aReplicaWithoutTheTransformSignsTransformNotFoundAndTheOthersDecide() throws Exception {
        subnet.subnet().hidePlugins(LACKING, List.of("identity"));
        JsonNode r = subnet.call("{\"url\":\"" + origin.url("/fixed") + "\",\"transform\":{\"name\":\"identity\"}}");
        assertEquals("completed", r.path("status").asText(), r.toString());
        assertEquals("the same for everyone", text(r.path("response").path("body").asText()));
        // The registry enables the transform: the replica that lacks it says so, and its reject share is outvoted.
        assertEquals(List.of("identity@" + BundledPlugins.VERSION), missing(LACKING));
        assertEquals("degraded", state(LACKING));

        subnet.subnet().hidePlugins(1, List.of("identity"));
        subnet.subnet().hidePlugins(2, List.of("identity"));
        JsonNode rejected = subnet.call("{\"url\":\"" + origin.url("/fixed") + "\",\"transform\":{\"name\":\"identity\"}}");
        assertEquals("rejected", rejected.path("status").asText(), rejected.toString());
        assertEquals("transform_error", rejected.path("reject").path("kind").asText(), rejected.toString());
        assertTrue(rejected.path("reject").path("message").asText().contains("not found"), rejected.toString());
        assertTrue(subnet.stateHashesAgree());
    }

    private String state(int replica) {
        return subnet.node().status().replicas().get(replica).state();
    }

    private List<String> missing(int replica) {
        return subnet.node().status().replicas().get(replica).missingPlugins();
    }

    private void assertNobodyBlamed() {
        for (Diagnostics.ReplicaView v : subnet.node().diagnostics().replicas()) {
            assertEquals(0L, v.counters().get("invalid_artifacts"), "replica " + v.index() + " counted invalid artifacts");
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
