package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * A replicated POST reaches the origin once per replica, every copy with the same
 * {@code Idempotency-Key}, so an origin that honours the header performs the side effect once and
 * answers every copy alike — and the replicas agree on that answer.
 */
class IdempotencyKeyTest {
    static ScriptedOrigin origin;
    static TestSubnet subnet;
    /** The origin's side effects: one per idempotency key, as a payment API would keep them. */
    static final Map<String, String> charges = new ConcurrentHashMap<>();
    static final AtomicInteger effects = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptedOrigin.start().route("/charge", r -> {
            String key = r.header("Idempotency-Key");
            if (key == null) {
                return new ScriptedOrigin.Reply(400, List.of(), "Idempotency-Key required".getBytes(StandardCharsets.UTF_8));
            }
            // The first copy performs the charge; every copy with the same key gets the stored answer.
            String receipt = charges.computeIfAbsent(key, k -> "receipt-" + effects.incrementAndGet() + " for " + r.bodyText());
            return ScriptedOrigin.Reply.text(receipt);
        });
        subnet = BundledPlugins.all(TestSubnet.builder().origin(origin)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    private static String post(String body, String extraHeaders) {
        return "{\"url\":\"" + origin.url("/charge") + "\",\"method\":\"POST\",\"headers\":[" + extraHeaders + "],"
                + "\"body\":\"" + Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    @Test
    void everyReplicaSendsThePostWithOneKeyAndTheOriginChargesOnce() throws Exception {
        origin.clearRequests();
        int before = effects.get();
        JsonNode r = subnet.call(post("amount=7", ""));
        assertEquals("completed", r.path("status").asText(), r.toString());

        List<ScriptedOrigin.Request> copies = awaitCopies(4);
        assertEquals(4, copies.size(), "one copy per replica");
        Set<Integer> replicas = copies.stream().map(ScriptedOrigin.Request::replica).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(0, 1, 2, 3), replicas, "each replica sent its own copy");
        Set<String> keys = copies.stream().map(c -> c.header("Idempotency-Key")).collect(Collectors.toSet());
        assertEquals(1, keys.size(), "the same key on every copy: " + keys);
        String key = keys.iterator().next();
        assertTrue(key.matches("[0-9a-f]{32}"), key);
        assertTrue(copies.stream().allMatch(c -> "POST".equals(c.method()) && "amount=7".equals(c.bodyText())));

        assertEquals(before + 1, effects.get(), "the origin performed the charge once");
        String body = new String(Base64.getDecoder().decode(r.path("response").path("body").asText()), StandardCharsets.UTF_8);
        assertEquals(charges.get(key), body, "the agreed answer is the stored one");
        assertTrue(subnet.stateHashesAgree());
    }

    @Test
    void anotherPostGetsAnotherKeyAndACallersOwnKeyIsKept() throws Exception {
        origin.clearRequests();
        subnet.call(post("amount=1", ""));
        awaitCopies(4);
        subnet.call(post("amount=1", ""));
        Set<String> keys = awaitCopies(8).stream().map(c -> c.header("Idempotency-Key")).collect(Collectors.toSet());
        assertEquals(2, keys.size(), "two requests, two keys, each on all copies: " + keys);

        origin.clearRequests();
        JsonNode own = subnet.call(post("amount=2", "{\"name\":\"idempotency-key\",\"value\":\"order-42\"}"));
        assertEquals("completed", own.path("status").asText(), own.toString());
        List<ScriptedOrigin.Request> copies = awaitCopies(4);
        assertEquals(4, copies.size());
        assertTrue(copies.stream().allMatch(c -> "order-42".equals(c.header("Idempotency-Key"))), "the caller's key is kept");
        assertTrue(copies.stream().allMatch(c -> c.headers().stream().filter(h -> h.name().equalsIgnoreCase("idempotency-key"))
                .count() == 1), "and not doubled");
        assertNotEquals(null, charges.get("order-42"));
    }

    /**
     * The origin's copies once {@code n} arrived (or after 10 s): two-thirds completes with three
     * replicas' shares, so the fourth replica's copy may reach the origin after the call returned.
     */
    private static List<ScriptedOrigin.Request> awaitCopies(int n) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (origin.requests("/charge").size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return origin.requests("/charge");
    }
}
