package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Fees;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.QueryContext;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.Replica;
import org.outcalls.testkit.TestSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * A subnet at its high-water mark answers every submission route with 503, {@code Retry-After} and
 * a JSON error of kind {@code subnet_busy}, before anything enters the pool, and counts the
 * refusals in {@code /metrics}; the JSON route counts a call against its remote address.
 */
class SubnetBusyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** {@code fan} with argument {@code "<count> <url>"}: that many outcalls in one call. */
    private static final class FanOut implements Canister {
        @Override
        public String id() {
            return "fan";
        }

        @Override
        public void update(CallContext ctx, String method, byte[] argument) throws CanisterException {
            String[] a = new String(argument, StandardCharsets.UTF_8).split(" ");
            OutcallRequest r = OutcallRequest.builder(a[1]).build();
            for (int i = Integer.parseInt(a[0]); i > 0; i--) {
                ctx.httpRequest(r, Fees.httpRequestFee(ctx.subnetSize(), r));
            }
        }

        @Override
        public void onOutcallResult(CallContext ctx, OutcallResult result) {
        }

        @Override
        public byte[] query(QueryContext ctx, String method, byte[] argument) {
            return new byte[0];
        }
    }

    private HttpResponse<String> post(String url, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertBusy(HttpResponse<String> r, String route) throws Exception {
        assertEquals(503, r.statusCode(), route + ": " + r.body());
        assertEquals("1", r.headers().firstValue("retry-after").orElse(""), route);
        JsonNode e = MAPPER.readTree(r.body()).get("error");
        assertEquals("subnet_busy", e.path("kind").asText(), route + ": " + r.body());
        assertEquals(503, e.path("status").asInt(), route);
        assertEquals(1, e.path("retry_after").asInt(), route);
        // the mark is the admission window: it adapts to how fast the subnet decides (16 .. 1,024 at n = 4)
        java.util.regex.Matcher mark = java.util.regex.Pattern.compile("high-water mark of (\\d+)")
                .matcher(e.path("message").asText());
        assertTrue(mark.find(), route + ": " + r.body());
        int window = Integer.parseInt(mark.group(1));
        assertTrue(window >= 16 && window <= 1024, route + ": a window of " + window);
    }

    private static void awaitOpen(Replica front, int open) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (front.openContextCount() < open && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(open, front.openContextCount());
    }

    @Test
    void everySubmissionRouteAnswers503WithRetryAfterWhileTheSubnetIsAtItsMark() throws Exception {
        ScriptedOrigin origin = ScriptedOrigin.start().route("/never", r -> ScriptedOrigin.Reply.never());
        TestSubnet subnet = TestSubnet.builder().origin(origin).plugin(new TwoThirdsPolicy(), "0.1.0").enableInstalled()
                .canister(new FanOut()).start();
        try {
            Vertx vertx = Vertx.vertx();
            GatewayServer server = GatewayServer.start(vertx, subnet.node(), GatewaySettings.of("127.0.0.1", 0));
            try {
                String base = "http://127.0.0.1:" + server.port();
                // 1,000 contexts held open by an origin that never answers, 500 for each of two callers: past the
                // admission window (which starts at 256 and only grows as contexts are decided) even without what
                // each holds past its share. One caller's 500 would not do: the others keep a share past it.
                byte[] fan = ("500 " + origin.url("/never")).getBytes(StandardCharsets.UTF_8);
                subnet.node().submit("fan", "fan", fan).toCompletableFuture().join();
                Replica front = subnet.subnet().replicas().get(0);
                awaitOpen(front, 500);
                subnet.subnet().submitSigned("fan", "fan", fan, NodeKey.generate()).toCompletableFuture().join();
                awaitOpen(front, 1000);
                // The state shows a block's contexts before the ingress gate has taken that block in (the
                // same protocol step, a moment later): once the next block is executed, the gate has.
                subnet.awaitHeight(front.height() + 1, java.time.Duration.ofSeconds(30));

                assertBusy(post(base + "/api/v1/outcalls", "application/json",
                        ("{\"url\":\"" + origin.url("/never") + "\"}").getBytes(StandardCharsets.UTF_8)), "outcalls");
                byte[] signed = IngressMessage.sign(Hash.wrap(subnet.subnet().genesis().subnetIdBytes()), "fan", "fan",
                        "1 https://example.com/".getBytes(StandardCharsets.UTF_8), 1, System.currentTimeMillis() + 60_000,
                        NodeKey.generate()).encode();
                assertBusy(post(base + "/api/v1/ingress", "application/octet-stream", signed), "ingress");
                assertBusy(post(base + "/api/v1/canisters/fan/update/fan", "application/octet-stream",
                        "1 https://example.com/".getBytes(StandardCharsets.UTF_8)), "canister update");
                assertEquals(1000, front.openContextCount(), "nothing more was opened");

                PrometheusParser metrics = PrometheusParser.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(3, metrics.value("outcalls_gateway_subnet_busy_total", Map.of("reason", "high_water")));
                assertEquals(0, metrics.value("outcalls_gateway_subnet_busy_total", Map.of("reason", "caller_share")));
            } finally {
                server.close();
                vertx.close().toCompletionStage().toCompletableFuture().get();
            }
        } finally {
            origin.close(); // first: the replicas' 4,000 waiting fetches then fail at once, and the subnet closes
            subnet.close();
        }
    }

    @Test
    void theJsonRouteCountsACallAgainstItsRemoteAddress() throws Exception {
        List<String> callers = new CopyOnWriteArrayList<>();
        InMemoryNode node = new InMemoryNode() {
            @Override
            public CompletionStage<String> submit(String canisterId, String method, byte[] argument, String caller) {
                callers.add(caller);
                return submit(canisterId, method, argument);
            }
        };
        Vertx vertx = Vertx.vertx();
        GatewayServer server = GatewayServer.start(vertx, node, GatewaySettings.of("127.0.0.1", 0));
        try {
            String base = "http://127.0.0.1:" + server.port();
            assertEquals(202, post(base + "/api/v1/outcalls", "application/json",
                    "{\"url\":\"https://example.com/\"}".getBytes(StandardCharsets.UTF_8)).statusCode());
            assertEquals(202, post(base + "/api/v1/canisters/proxy/update/x", "application/octet-stream", new byte[] {1})
                    .statusCode());
            assertEquals(List.of("127.0.0.1", "127.0.0.1"), callers);
        } finally {
            server.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
