package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Limits;
import org.outcalls.canister.proxy.OutcallJson;

class RateLimitAndBodyCapTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private GatewayServer server;
    private InMemoryNode node;
    private String base;

    private void start(GatewaySettings settings) throws Exception {
        vertx = Vertx.vertx();
        node = new InMemoryNode();
        server = GatewayServer.start(vertx, node, settings);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallerOverItsRateGets429WithRetryAfterAndAJsonError() throws Exception {
        // one token per 100 s: the burst is all a caller gets within the test
        start(GatewaySettings.of("127.0.0.1", 0).withRateLimit(0.01, 3));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get("/api/v1/subnet").statusCode());
        }
        HttpResponse<String> refused = get("/api/v1/subnet");
        assertEquals(429, refused.statusCode());
        assertEquals("100", refused.headers().firstValue("retry-after").orElseThrow());
        JsonNode error = MAPPER.readTree(refused.body()).path("error");
        assertEquals(429, error.path("status").asInt());
        assertTrue(error.path("message").asText().contains("rate limit"), refused.body());
        assertTrue(error.path("message").asText().contains("127.0.0.1"), "names the caller: " + refused.body());
        assertEquals(429, post("{\"url\":\"https://a.example/\"}").statusCode());
        assertEquals(0, node.submitted.size(), "a refused POST submits nothing");
        // the page and the metrics are not rate limited, and count the refusals
        assertEquals(200, get("/").statusCode());
        PrometheusParser metrics = PrometheusParser.parse(get("/metrics").body());
        assertEquals(2, metrics.value("outcalls_gateway_rate_limited_total", java.util.Map.of()));
    }

    @Test
    void rateZeroTurnsTheLimitOff() throws Exception {
        start(GatewaySettings.of("127.0.0.1", 0).withRateLimit(0, 1));
        for (int i = 0; i < 50; i++) {
            assertEquals(200, get("/api/v1/subnet").statusCode());
        }
    }

    @Test
    void theLargestValidOutcallFitsAndOneByteOverTheCapIs413() throws Exception {
        start(GatewaySettings.of("127.0.0.1", 0));
        // 64 headers of 768 bytes (48 KiB in all) and the rest of the 2,000,000 request bytes as body
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < Limits.MAX_HEADER_COUNT; i++) {
            headers.append(i == 0 ? "" : ",").append("{\"name\":\"x-h").append(String.format("%02d", i))
                    .append("\",\"value\":\"").append("v".repeat(768 - 5)).append("\"}");
        }
        int body = (int) (Limits.MAX_REQUEST_BYTES - Limits.MAX_HEADER_TOTAL_BYTES);
        String url = "https://a.example/" + "p".repeat(Limits.MAX_URL_BYTES - "https://a.example/".length());
        String json = "{\"url\":\"" + url + "\",\"method\":\"POST\",\"headers\":[" + headers + "],\"body\":\""
                + Base64.getEncoder().encodeToString(new byte[body]) + "\",\"max_response_bytes\":2000000,"
                + "\"transform\":{\"name\":\"json\",\"context\":\"" + Base64.getEncoder().encodeToString(new byte[4096])
                + "\"},\"policy\":\"single-replica\",\"cycles\":9000000000000}";
        assertTrue(json.length() < OutcallJson.MAX_REQUEST_JSON_BYTES, json.length() + " bytes");
        HttpResponse<String> accepted = post(json);
        assertEquals(202, accepted.statusCode(), accepted.body().length() > 300 ? accepted.body().substring(0, 300) : accepted.body());

        String over = "{\"url\":\"https://a.example/\",\"body\":\"" + "A".repeat(OutcallJson.MAX_REQUEST_JSON_BYTES) + "\"}";
        HttpResponse<String> refused = post(over);
        assertEquals(413, refused.statusCode());
        JsonNode error = MAPPER.readTree(refused.body()).path("error");
        assertEquals("body", error.path("field").asText());
        assertTrue(error.path("message").asText().contains(Integer.toString(OutcallJson.MAX_REQUEST_JSON_BYTES)));
        assertEquals(1, node.submitted.size());
        assertFalse(refused.body().isEmpty());
    }
}
