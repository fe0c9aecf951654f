package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy;
import org.outcalls.testkit.TestSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;
import org.outcalls.transform.basic.internal.IdentityTransform;

/**
 * A real 4-replica subnet (testkit) behind a real gateway on loopback, fetching from a scripted
 * HTTPS origin: {@code /fixed} answers every replica alike, {@code /price} gives each replica a
 * different price in a JSON body, {@code /held} answers only once the test releases it.
 */
final class LiveGateway implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    final ScriptedOrigin origin;
    final TestSubnet subnet;
    final Vertx vertx;
    final GatewayServer server;
    final String base;
    final HttpClient http = HttpClient.newHttpClient();
    private volatile CountDownLatch held = new CountDownLatch(1);

    LiveGateway() throws Exception {
        origin = ScriptedOrigin.start()
                .route("/fixed", r -> ScriptedOrigin.Reply.text("the same for everyone"))
                .route("/price", r -> ScriptedOrigin.Reply.json(String.format(Locale.ROOT,
                        "{\"symbol\":\"ICP\",\"price\":{\"usd\":%d.25}}", 10 + Math.max(0, r.replica()))))
                .route("/held", r -> {
                    try {
                        held.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return ScriptedOrigin.Reply.text("released");
                });
        subnet = TestSubnet.builder().origin(origin).plugin(new TwoThirdsPolicy(), "0.1.0")
                .plugin(new IdentityTransform(), "0.1.0").enableInstalled().start();
        vertx = Vertx.vertx();
        server = GatewayServer.start(vertx, subnet.node(), GatewaySettings.of("127.0.0.1", 0));
        base = "http://127.0.0.1:" + server.port();
    }

    /** Lets every request waiting on {@code /held} answer. */
    void release() {
        held.countDown();
    }

    String submit(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + origin.url(path) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new AssertionError("submit: " + r.statusCode() + " " + r.body());
        }
        return MAPPER.readTree(r.body()).get("id").asText();
    }

    /** Long-polls until the outcall is final. */
    JsonNode await(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = getJson("/api/v1/outcalls/" + id + "?wait=20");
            if (!"pending".equals(r.path("status").asText())) {
                return r;
            }
        }
        throw new AssertionError("outcall " + id + " did not end");
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + ": " + r.statusCode() + " " + r.body());
        }
        return MAPPER.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        release();
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        subnet.close();
        origin.close();
    }
}
