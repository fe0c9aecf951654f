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
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.QueryContext;
import org.outcalls.replica.Readiness;
import org.outcalls.testkit.TestSubnet;

/**
 * {@code /healthz} and {@code /readyz} of a real gateway in front of a real 4-replica subnet: ready;
 * a replica cut off from the others falls behind and the gateway says 503 naming it and its lag;
 * reconnected it catches up and the gateway is ready again; a halted replica makes it 503 with the
 * halt reason, while {@code /healthz} stays 200 throughout. Probes are answered whatever the Host.
 */
class HealthRoutesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Halts every replica that executes {@code oom} (simulated local fault). */
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
    void readyUntilAReplicaLagsOrHaltsAliveThroughout() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestSubnet subnet = TestSubnet.builder().canister(new Exhausting()).start()) {
            GatewayServer server = GatewayServer.start(vertx, subnet.node(), GatewaySettings.of("127.0.0.1", 0));
            try {
                String base = "http://127.0.0.1:" + server.port();
                Reply ready = await(base + "/readyz", r -> r.status == 200);
                assertTrue(ready.body.path("ready").asBoolean(), ready.body.toString());
                assertEquals(0, ready.body.path("reasons").size());
                assertEquals(Readiness.MAX_LAG_HEIGHTS, ready.body.path("max_lag_heights").asLong());
                assertEquals("alive", get(base + "/healthz", "127.0.0.1").body.path("status").asText());
                assertEquals(200, get(base + "/readyz", "10.1.2.3:9999").status, "a probe by IP is not a browser");

                // replica 3 loses its links: the others go on, it falls behind
                long start = subnet.subnet().finalizedHeights().get(0);
                subnet.subnet().network().crash(3);
                Reply lagging = await(base + "/readyz", r -> r.status == 503);
                String reason = lagging.body.path("reasons").get(0).asText();
                assertTrue(reason.startsWith("replica 3 is ") && reason.contains(" heights behind (finalized "), reason);
                assertTrue(subnet.subnet().finalizedHeights().get(0) > start + Readiness.MAX_LAG_HEIGHTS);
                assertEquals(200, get(base + "/healthz", "127.0.0.1").status);

                // back on the network it catches up
                subnet.subnet().network().recover(3);
                await(base + "/readyz", r -> r.status == 200);

                // a local fault halts the replicas, each as it executes the block: whichever is first names itself
                subnet.subnet().submit("exhausting", "oom", new byte[0]).toCompletableFuture().get(10, TimeUnit.SECONDS);
                Reply halted = await(base + "/readyz", r -> r.status == 503 && r.body.toString().contains("halted"));
                assertTrue(halted.body.path("reasons").get(0).asText().matches("replica [0-3] is halted at height \\d+: "
                        + "execution of height \\d+ failed: java.lang.OutOfMemoryError: simulated: Java heap space"),
                        halted.body.toString());
                assertEquals(false, halted.body.path("ready").asBoolean());
                assertEquals(200, get(base + "/healthz", "127.0.0.1").status, "halted, but the process is alive");
            } finally {
                server.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply await(String url, Predicate<Reply> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Reply last = null;
        while (System.nanoTime() < deadline) {
            last = get(url, null);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within 120 s at " + url + "; last answer: " + last);
    }

    private Reply get(String url, String host) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (host != null && !host.startsWith("127.")) {
            // java.net.http forbids setting Host; a raw request checks the guard is bypassed
            return raw(url, host);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("no-store", r.headers().firstValue("cache-control").orElse(""));
        return new Reply(r.statusCode(), MAPPER.readTree(r.body()));
    }

    private Reply raw(String url, String host) throws Exception {
        URI u = URI.create(url);
        try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
            s.getOutputStream().write(("GET " + u.getPath() + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(all.substring(9, 12));
            String body = all.substring(all.indexOf("\r\n\r\n") + 4);
            return new Reply(status, MAPPER.readTree(body.substring(body.indexOf('{'))));
        }
    }
}
