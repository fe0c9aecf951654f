package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.adapter.internal.AdapterFixture.fetch;
import static org.outcalls.adapter.internal.AdapterFixture.ok;
import static org.outcalls.adapter.internal.AdapterFixture.rejected;
import static org.outcalls.adapter.internal.AdapterFixture.text;
import static org.outcalls.adapter.internal.RawOrigin.respond;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * A keep-alive connection the server has given up on. The origin answers the first request on
 * each connection (keep-alive: no {@code Connection: close}) and closes the connection, without a
 * byte of answer, when a second request arrives on it: what a client sees when it reuses a pooled
 * connection at the moment the server closes it as idle. The adapter's pool holds one connection,
 * so the second fetch is certain to go on the stale one.
 */
class StaleConnectionTest {
    private static Vertx vertx;
    private static Vertx originVertx;
    private static RawOrigin origin;
    /** Requests served or dropped, in arrival order: "METHOD served" or "METHOD dropped". */
    private static final List<String> seen = new CopyOnWriteArrayList<>();
    private VertxHttpsAdapter adapter;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        originVertx = Vertx.vertx();
        origin = new RawOrigin(originVertx, AdapterFixture.PKI.issueLocalhost());
        Map<String, Integer> requestsPerConnection = new ConcurrentHashMap<>();
        origin.route("/once", (req, s) -> {
            if (requestsPerConnection.merge(req.connection(), 1, Integer::sum) > 1) {
                seen.add(req.method() + " dropped");
                s.close();
                return;
            }
            seen.add(req.method() + " served");
            byte[] body = (req.method() + " answered").getBytes(StandardCharsets.UTF_8);
            respond(s, 200, List.of(new HttpHeader("content-length", String.valueOf(body.length))),
                    req.method().equals("HEAD") ? new byte[0] : body);
        });
        // as /once, but each connection's first answer waits 300 ms, so two fetches at once open two connections
        origin.route("/slow-once", (req, s) -> {
            if (requestsPerConnection.merge(req.connection(), 1, Integer::sum) > 1) {
                seen.add(req.method() + " dropped");
                s.close();
                return;
            }
            originVertx.setTimer(300, t -> {
                seen.add(req.method() + " served");
                byte[] body = "slowly answered".getBytes(StandardCharsets.UTF_8);
                respond(s, 200, List.of(new HttpHeader("content-length", String.valueOf(body.length))), body);
            });
        });
        origin.route("/never", (req, s) -> {
            seen.add(req.method() + " dropped");
            s.close();
        });
    }

    @AfterAll
    static void stop() throws Exception {
        origin.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        originVertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @BeforeEach
    void newAdapter() throws Exception {
        seen.clear();
        adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().maxConnectionsPerHost(1).build());
    }

    @AfterEach
    void closeAdapter() {
        adapter.close();
    }

    private OutcallRequest.Builder once(HttpMethod method) {
        return OutcallRequest.builder(origin.url("/once")).method(method);
    }

    @Test
    void aGetOnAStaleConnectionIsSentAgainOnAFreshOne() throws Exception {
        assertEquals("GET answered", text(ok(fetch(adapter, once(HttpMethod.GET).build()))));
        assertEquals("GET answered", text(ok(fetch(adapter, once(HttpMethod.GET).build()))));
        assertEquals(List.of("GET served", "GET dropped", "GET served"), seen);
    }

    @Test
    void aHeadOnAStaleConnectionIsSentAgainOnAFreshOne() throws Exception {
        ok(fetch(adapter, once(HttpMethod.GET).build()));
        assertEquals(200, ok(fetch(adapter, once(HttpMethod.HEAD).build())).status());
        assertEquals(List.of("GET served", "HEAD dropped", "HEAD served"), seen);
    }

    @Test
    void aPostWithoutAnIdempotencyKeyIsNeverSentTwice() throws Exception {
        ok(fetch(adapter, once(HttpMethod.GET).build()));
        Reject r = rejected(fetch(adapter, once(HttpMethod.POST).body("pay 5".getBytes(StandardCharsets.UTF_8)).build()),
                RejectCode.SYS_FATAL, RejectKind.PROTOCOL_ERROR);
        assertTrue(r.message().contains("closed the connection before the response was complete")
                && r.message().contains("not sent again") && r.message().contains("Idempotency-Key"), r.message());
        assertEquals(List.of("GET served", "POST dropped"), seen);
    }

    @Test
    void aPostWithAnIdempotencyKeyIsSentAgain() throws Exception {
        ok(fetch(adapter, once(HttpMethod.GET).build()));
        assertEquals("POST answered", text(ok(fetch(adapter, once(HttpMethod.POST).header("Idempotency-Key", "k-1")
                .body("pay 5".getBytes(StandardCharsets.UTF_8)).build()))));
        assertEquals(List.of("GET served", "POST dropped", "POST served"), seen);
    }

    /** An adapter of two connections per host, both open and answered once: the next request on either is dropped. */
    private OutcallRequest twoPooledConnectionsTheOriginWillDrop() throws Exception {
        adapter.close();
        adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().maxConnectionsPerHost(2).build());
        OutcallRequest slow = OutcallRequest.builder(origin.url("/slow-once")).build();
        var first = adapter.fetch(slow).toCompletableFuture();
        var second = adapter.fetch(slow).toCompletableFuture();
        assertEquals("slowly answered", text(ok(first.get(60, java.util.concurrent.TimeUnit.SECONDS))));
        assertEquals("slowly answered", text(ok(second.get(60, java.util.concurrent.TimeUnit.SECONDS))));
        assertEquals(List.of("GET served", "GET served"), seen, "two pooled connections, each answered once");
        return slow;
    }

    /**
     * When the origin drops every idle connection at once, the next idle connection in the pool is
     * as stale as the first: the resend goes on a connection of its own.
     */
    @Test
    void theResendGoesOnANewConnectionNotOnAnotherPooledOne() throws Exception {
        OutcallRequest slow = twoPooledConnectionsTheOriginWillDrop();

        assertEquals("slowly answered", text(ok(fetch(adapter, slow))));
        assertEquals(List.of("GET served", "GET served", "GET dropped", "GET served"), seen);
        assertTrue(adapter.takeOwnConnection() && adapter.takeOwnConnection() && !adapter.takeOwnConnection(),
                "the resend gave its connection slot back when it ended; two slots, as connections per host");
    }

    /** Connections of their own are bounded: past the bound a resend goes through the pool, as before. */
    @Test
    void pastTheBoundOfOwnConnectionsTheResendGoesThroughThePool() throws Exception {
        OutcallRequest slow = twoPooledConnectionsTheOriginWillDrop();
        assertTrue(adapter.takeOwnConnection() && adapter.takeOwnConnection(), "both slots taken, as by other resends");

        Reject r = rejected(fetch(adapter, slow), RejectCode.SYS_FATAL, RejectKind.PROTOCOL_ERROR);
        assertTrue(r.message().contains("it had already been sent again once"), r.message());
        assertEquals(List.of("GET served", "GET served", "GET dropped", "GET dropped"), seen);
    }

    @Test
    void aFreshConnectionClosedBeforeTheResponseIsNotRetried() throws Exception {
        Reject r = rejected(fetch(adapter, OutcallRequest.builder(origin.url("/never")).build()),
                RejectCode.SYS_FATAL, RejectKind.PROTOCOL_ERROR);
        assertTrue(r.message().contains("closed the connection before the response was complete"), r.message());
        assertEquals(List.of("GET dropped"), seen);
    }
}
