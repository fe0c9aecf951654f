package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.outcalls.consensus.outcall.OutcallItem;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.replica.Replica;
import org.outcalls.testkit.origin.HostileBodies;
import org.outcalls.testkit.origin.ScriptedOrigin;
import org.outcalls.testkit.origin.ScriptedOrigin.Reply;

/**
 * A hostile origin answers one replica of a real 4-replica subnet with a pathological body (deep
 * nesting, many keys, backtracking text, an oversized or endless body) and the others honestly:
 * the honest answer is agreed, no replica halts, and the replicas stay in step. The testkit's
 * {@link HostileBodies} and {@link ScriptedOrigin#pace} as a plugin author would use them.
 */
@Timeout(300)
class HostileOriginTest {
    static ScriptedOrigin origin;
    static TestSubnet subnet;

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptedOrigin.start();
        subnet = BundledPlugins.all(TestSubnet.builder().origin(origin)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    /** Serves {@code hostile} to replica {@code victim} and {@code honest} to the others. */
    private static String route(String path, int victim, Reply hostile, Reply honest) {
        origin.route(path, r -> r.replica() == victim ? hostile : honest);
        return origin.url(path);
    }

    private static Reply json(String body) {
        return Reply.json(body);
    }

    /** Completed, with {@code victim} (-1: none) not among the signers, and the subnet healthy. */
    private static JsonNode agreed(String requestJson, String path, int victim) throws Exception {
        JsonNode r = subnet.call(requestJson);
        assertEquals("completed", r.path("status").asText(), r.toString());
        List<Integer> asked = origin.requests(path).stream().map(ScriptedOrigin.Request::replica).toList();
        assertTrue(victim < 0 || asked.contains(victim), "replica " + victim + " never fetched " + path + ": " + asked);
        for (Replica replica : subnet.subnet().replicas()) {
            assertTrue(replica.halted().isEmpty(), "a replica halted: " + replica.halted());
        }
        subnet.awaitHeight(subnet.honest().get(0).height(), Duration.ofSeconds(30));
        assertTrue(subnet.stateHashesAgree(), "state hashes differ");
        List<Integer> signers = OutcallItem.decode(Base64.getDecoder().decode(r.path("certificate").asText())).shares()
                .stream().map(SignedShare::signer).toList();
        assertTrue(!signers.contains(victim), "replica " + victim + " signed the agreed content: " + signers);
        return r;
    }

    private static void assertJsonPrice(JsonNode r, String expected) {
        assertEquals("{\"/p\":" + expected + "}", OutcallJson.bodyText(r), r.toString());
    }

    @Test
    void aHundredThousandLevelsOfNestingForOneReplica() throws Exception {
        String url = route("/deep", 0, json(HostileBodies.deepNesting(100_000)), json("{\"p\":7}"));
        assertJsonPrice(agreed(OutcallJson.get(url).transform("json", "/p").toJson(), "/deep", 0), "7");
    }

    @Test
    void aHundredThousandKeysForOneReplica() throws Exception {
        String url = route("/keys", 1, json(HostileBodies.manyKeys(100_000)), json("{\"p\":8}"));
        assertJsonPrice(agreed(OutcallJson.get(url).transform("json", "/p").toJson(), "/keys", 1), "8");
    }

    @Test
    void backtrackingTextForOneReplicasRegex() throws Exception {
        String url = route("/text", 2, Reply.text(HostileBodies.backtracking(40)), Reply.text("aab"));
        JsonNode r = agreed(OutcallJson.get(url).transform("regex", "(a+)+\\1b").toJson(), "/text", 2);
        assertEquals("a", OutcallJson.bodyText(r), r.toString());
    }

    @Test
    void anOversizedBodyForOneReplica() throws Exception {
        byte[] big = HostileBodies.oversized(3 << 20);
        String url = route("/big", 3, new Reply(200, List.of(), big), Reply.text("small"));
        JsonNode r = agreed(OutcallJson.get(url).toJson(), "/big", 3);
        assertEquals("small", OutcallJson.bodyText(r), r.toString());
    }

    @Test
    void anEndlessBodyForOneReplicaDoesNotHoldUpTheOthers() throws Exception {
        String url = route("/endless", 0, Reply.endless(), Reply.text("done"));
        origin.pace("/endless", 16, Duration.ofMillis(50));
        long start = System.nanoTime();
        JsonNode r = agreed(OutcallJson.get(url).toJson(), "/endless", 0);
        assertEquals("done", OutcallJson.bodyText(r), r.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        // the three honest answers decide; waiting for the endless one would take the 30 s request timeout
        assertTrue(millis < 25_000, "took " + millis + " ms");
    }

    @Test
    void slowBodiesForEveryReplicaAreStillAgreed() throws Exception {
        origin.route("/slow", r -> Reply.json("{\"p\":9}")).pace("/slow", 2, Duration.ofMillis(100));
        JsonNode r = agreed(OutcallJson.get(origin.url("/slow")).transform("json", "/p").toJson(), "/slow", -1);
        assertJsonPrice(r, "9");
        assertEquals(java.util.Set.of(0, 1, 2, 3), origin.requests("/slow").stream().map(ScriptedOrigin.Request::replica)
                .collect(java.util.stream.Collectors.toSet()), "every replica fetched the slow body");
    }
}
