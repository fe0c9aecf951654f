package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CanisterRoutesTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private InMemoryNode node;
    private GatewayServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        node = new InMemoryNode();
        server = GatewayServer.start(vertx, node, "127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port() + "/api/v1/canisters/";
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void updateSubmitsTheBodyAsTheArgument() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "price-feed/update/refresh"))
                .header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("https://localhost:7443/price")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"id\""), r.body());
        assertEquals("https://localhost:7443/price", new String(node.submitted.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void queryAnswersTheCanistersBytesOr404() throws Exception {
        node.records.put("latest", "{\"median\":\"1.5\"}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "price-feed/query/get?arg=latest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("{\"median\":\"1.5\"}", r.body());
        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "price-feed/query/get?arg=none")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void badNamesAre400() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "bad%20name/query/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"field\":\"canister\""), r.body());
    }
}
