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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a web page in the operator's browser can do to a gateway on loopback: nothing. Forms and
 * {@code text/plain} posts (which a page may send anywhere without asking) are 415; any request
 * with a foreign {@code Origin} is 403; a {@code Host} that is not one of the gateway's names (DNS
 * rebinding) is 421. Tools that send no {@code Origin}, and the gateway's own page, are served.
 */
class BrowserSafetyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String OUTCALL = "{\"url\":\"https://a.example/\"}";
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private InMemoryNode node;
    private GatewayServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        start(GatewaySettings.of("127.0.0.1", 0));
    }

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

    private HttpResponse<String> post(String path, String contentType, String origin, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        if (origin != null) {
            b.header("origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (origin != null) {
            b.header("origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        return MAPPER.readTree(r.body()).path("error");
    }

    @Test
    void formsAndPlainTextPostsAre415NamingTheHeaderAndSubmitNothing() throws Exception {
        for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", null}) {
            HttpResponse<String> r = post("/api/v1/outcalls", type, null, OUTCALL);
            assertEquals(415, r.statusCode(), type + ": " + r.body());
            assertEquals("content-type", error(r).path("field").asText(), r.body());
            assertTrue(error(r).path("message").asText().contains("application/json"), r.body());
        }
        HttpResponse<String> big = post("/api/v1/outcalls", "text/plain", null, "x".repeat(2 * 1024 * 1024));
        assertEquals(415, big.statusCode(), "refused before the body is read");
        assertEquals(0, node.submitted.size(), "nothing submitted");
        assertEquals(202, post("/api/v1/outcalls", "application/json; charset=utf-8", null, OUTCALL).statusCode());
    }

    @Test
    void theRawBodyRoutesTakeOnlyOctetStream() throws Exception {
        HttpResponse<String> update = post("/api/v1/canisters/price-feed/update/refresh", "text/plain", null, "x");
        assertEquals(415, update.statusCode(), update.body());
        assertTrue(error(update).path("message").asText().contains("application/octet-stream"), update.body());
        HttpResponse<String> ingress = post("/api/v1/ingress", "application/x-www-form-urlencoded", null, "a=b");
        assertEquals(415, ingress.statusCode(), ingress.body());
        assertEquals(0, node.submitted.size());
        assertEquals(202, post("/api/v1/canisters/price-feed/update/refresh", "application/octet-stream", null, "x").statusCode());
    }

    @Test
    void aForeignOriginIs403ForWritesAndReadsAndSubmitsNothing() throws Exception {
        for (String origin : new String[] {"https://evil.example", "http://evil.example:" + server.port(), "null",
                "http://127.0.0.1:1", "https://127.0.0.1:" + server.port()}) {
            HttpResponse<String> r = post("/api/v1/outcalls", "application/json", origin, OUTCALL);
            assertEquals(403, r.statusCode(), origin + ": " + r.body());
            assertEquals("origin", error(r).path("field").asText(), r.body());
        }
        assertEquals(0, node.submitted.size(), "nothing submitted");
        String id = MAPPER.readTree(post("/api/v1/outcalls", "application/json", null, OUTCALL).body()).path("id").asText();
        node.records.put(id, ("{\"id\":\"" + id + "\",\"status\":\"completed\"}").getBytes(StandardCharsets.UTF_8));
        for (String path : new String[] {"/api/v1/outcalls/" + id, "/api/v1/subnet", "/api/v1/dashboard",
                "/api/v1/dashboard/events", "/metrics", "/"}) {
            HttpResponse<String> r = get(path, "https://evil.example");
            assertEquals(403, r.statusCode(), path + ": " + r.body());
            assertTrue(!r.body().contains(id), "no result leaks: " + r.body());
        }
    }

    @Test
    void theGatewaysOwnOriginAndRequestsWithoutOriginAreServed() throws Exception {
        for (String origin : new String[] {null, base, "http://localhost:" + server.port(), "http://LOCALHOST:" + server.port(),
                "http://[::1]:" + server.port()}) {
            HttpResponse<String> r = post("/api/v1/outcalls", "application/json", origin, OUTCALL);
            assertEquals(202, r.statusCode(), origin + ": " + r.body());
            String id = MAPPER.readTree(r.body()).path("id").asText();
            assertEquals(200, get("/api/v1/outcalls/" + id, origin).statusCode());
        }
        assertEquals(5, node.submitted.size());
    }

    @Test
    void aHostThatIsNotTheGatewaysNameIsRefused() throws Exception {
        int port = server.port();
        RawHttp.Answer rebound = RawHttp.get(port, "/api/v1/subnet", "evil.example:" + port);
        assertEquals(421, rebound.status(), rebound.head());
        JsonNode e = MAPPER.readTree(rebound.body()).path("error");
        assertEquals("host", e.path("field").asText(), rebound.body());
        assertTrue(e.path("message").asText().contains("allowedHosts"), rebound.body());
        assertEquals(421, RawHttp.get(port, "/", "evil.example").status(), "the page too");
        assertEquals(421, RawHttp.get(port, "/api/v1/subnet", "localhost:" + (port == 1 ? 2 : port - 1)).status(), "another port");
        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost:" + port}) {
            RawHttp.Answer ok = RawHttp.get(port, "/api/v1/subnet", host);
            assertEquals(200, ok.status(), host + ": " + ok.head());
        }
    }

    @Test
    void configuredNamesAndOriginsAreServedAndOthersStillRefused() throws Exception {
        stop();
        start(GatewaySettings.of("127.0.0.1", 0).withAllowed(GatewaySettings.list(new String[] {"gateway.lan, proxy.lan:8443"}),
                List.of("http://localhost:3000")));
        int port = server.port();
        assertEquals(200, RawHttp.get(port, "/api/v1/subnet", "gateway.lan:" + port).status());
        assertEquals(200, RawHttp.get(port, "/api/v1/subnet", "proxy.lan:8443").status(), "a name with its own port");
        assertEquals(421, RawHttp.get(port, "/api/v1/subnet", "proxy.lan:" + port).status());
        assertEquals(421, RawHttp.get(port, "/api/v1/subnet", "evil.example:" + port).status());

        assertEquals(202, post("/api/v1/outcalls", "application/json", "http://gateway.lan:" + port, OUTCALL).statusCode(),
                "a configured name is one of the gateway's own origins");
        HttpResponse<String> page = post("/api/v1/outcalls", "application/json", "http://localhost:3000", OUTCALL);
        assertEquals(202, page.statusCode(), page.body());
        assertEquals("http://localhost:3000", page.headers().firstValue("access-control-allow-origin").orElseThrow());
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("origin", "http://localhost:3000")
                .header("access-control-request-method", "POST").header("access-control-request-headers", "content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals("content-type", preflight.headers().firstValue("access-control-allow-headers").orElseThrow());
        assertEquals(403, post("/api/v1/outcalls", "application/json", "http://localhost:3001", OUTCALL).statusCode());
        assertEquals(403, get("/api/v1/subnet", "https://localhost:3000").statusCode(), "another scheme is another origin");
        assertEquals(2, node.submitted.size());
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        IllegalArgumentException origin = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GatewaySettings.of("127.0.0.1", 0).withAllowed(List.of(), List.of("http://a.example/path")));
        assertTrue(origin.getMessage().startsWith("allowedOrigins"), origin.getMessage());
        IllegalArgumentException host = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GatewaySettings.of("127.0.0.1", 0).withAllowed(List.of("a.example:http"), List.of()));
        assertTrue(host.getMessage().startsWith("allowedHosts"), host.getMessage());
    }
}
