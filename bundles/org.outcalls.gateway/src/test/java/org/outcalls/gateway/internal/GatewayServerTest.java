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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
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
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return MAPPER.readTree(r.body());
    }

    @Test
    void acceptsAnOutcallAndReportsItPending() throws Exception {
        HttpResponse<String> r = post("{\"url\":\"https://a.example/\"}");
        assertEquals(202, r.statusCode(), r.body());
        String id = json(r).get("id").asText();
        assertEquals("/api/v1/outcalls/" + id, r.headers().firstValue("location").orElseThrow());
        assertEquals(1, node.submitted.size());
        HttpResponse<String> pending = get("/api/v1/outcalls/" + id);
        assertEquals(200, pending.statusCode());
        assertEquals("pending", json(pending).get("status").asText());
    }

    @Test
    void malformedRequestsAre400NamingTheFieldAndSubmitNothing() throws Exception {
        HttpResponse<String> r = post("{\"url\":\"https://a.example/\",\"headers\":[{\"name\":\"x\"}]}");
        assertEquals(400, r.statusCode());
        assertEquals("headers[0].value", json(r).get("error").get("field").asText());
        assertEquals(400, post("not json").statusCode());
        assertEquals(400, post("{\"url\":\"https://a.example/\",\"cycles\":-5}").statusCode());
        assertEquals(0, node.submitted.size());
    }

    @Test
    void oversizeBodiesAre413() throws Exception {
        String huge = "{\"url\":\"https://a.example/\",\"body\":\"" + "A".repeat(4 * 1024 * 1024) + "\"}";
        HttpResponse<String> r = post(huge);
        assertEquals(413, r.statusCode());
        assertEquals(0, node.submitted.size());
    }

    @Test
    void badIdsAndWaitsAre400AndUnknownIdsAre404() throws Exception {
        assertEquals(400, get("/api/v1/outcalls/not-hex!").statusCode());
        assertEquals("wait", json(get("/api/v1/outcalls/" + "a".repeat(64) + "?wait=61")).get("error").get("field").asText());
        assertEquals("wait", json(get("/api/v1/outcalls/" + "a".repeat(64) + "?wait=x")).get("error").get("field").asText());
        HttpResponse<String> missing = get("/api/v1/outcalls/" + "b".repeat(64));
        assertEquals(404, missing.statusCode());
        assertTrue(json(missing).get("error").get("message").asText().contains("no outcall"));
        assertEquals(404, get("/nowhere").statusCode());
    }

    @Test
    void longPollAnswersWhenAHeightCompletesTheOutcall() throws Exception {
        String id = json(post("{\"url\":\"https://a.example/\"}")).get("id").asText();
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls/" + id + "?wait=30")).build(),
                HttpResponse.BodyHandlers.ofString());
        while (node.listenerCount() == 0) {
            Thread.sleep(10);
        }
        node.executeHeight();
        assertTrue(!waiting.isDone(), "still pending: the poll must not answer yet");
        node.records.put(id, ("{\"id\":\"" + id + "\",\"status\":\"completed\"}").getBytes(StandardCharsets.UTF_8));
        node.executeHeight();
        HttpResponse<String> r = waiting.get();
        assertEquals("completed", json(r).get("status").asText());
        Thread.sleep(50);
        assertEquals(0, node.listenerCount(), "the subscription is closed once answered");
    }

    @Test
    void subnetStatusIsJson() throws Exception {
        HttpResponse<String> r = get("/api/v1/subnet");
        assertEquals(200, r.statusCode());
        assertEquals(7, json(r).get("replicas").get(0).get("executed_height").asInt());
    }
}
