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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.QueryContext;
import org.outcalls.testkit.TestSubnet;

/** A replica that halts says where and why: per replica in {@code GET /api/v1/subnet} and in the dashboard's feed. */
class HaltReasonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Runs out of memory (simulated: a local fault, not something a canister does deterministically) on {@code oom}. */
    private static final class Exhausting implements Canister {
        @Override
        public String id() {
            return "exhausting";
        }

        @Override
        public void update(CallContext context, String method, byte[] argument) {
            throw new OutOfMemoryError("simulated: Java heap space");
        }

        @Override
        public void onOutcallResult(CallContext context, OutcallResult result) {
        }

        @Override
        public byte[] query(QueryContext context, String method, byte[] argument) {
            return new byte[0];
        }
    }

    @Test
    void theHaltReasonIsInTheSubnetStatusAndTheDashboardFeed() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestSubnet subnet = TestSubnet.builder().canister(new Exhausting()).start()) {
            GatewayServer server = GatewayServer.start(vertx, subnet.node(), GatewaySettings.of("127.0.0.1", 0));
            try {
                String base = "http://127.0.0.1:" + server.port();
                subnet.subnet().submit("exhausting", "oom", new byte[0]).toCompletableFuture().get(10, TimeUnit.SECONDS);
                JsonNode status = awaitHalted(base);
                for (JsonNode replica : status.path("replicas")) {
                    assertEquals("halted", replica.path("state").asText(), replica.toString());
                    JsonNode halted = replica.path("halted");
                    assertTrue(halted.path("height").asLong() >= 1, replica.toString());
                    assertEquals("execution of height " + halted.path("height").asLong()
                            + " failed: java.lang.OutOfMemoryError: simulated: Java heap space", halted.path("reason").asText());
                }
                JsonNode dashboard = get(base + "/api/v1/dashboard");
                assertEquals(status.path("replicas").get(0).path("halted"),
                        dashboard.path("subnet").path("replicas").get(0).path("halted"));
                String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/dashboard.js")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(page.contains("halted at height"), "the dashboard shows the reason");
            } finally {
                server.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode awaitHalted(String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            status = get(base + "/api/v1/subnet");
            boolean all = true;
            for (JsonNode r : status.path("replicas")) {
                all &= r.has("halted");
            }
            if (all) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the replicas did not halt: " + status);
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return MAPPER.readTree(r.body());
    }
}
