package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Long polls are capped per caller and in all (429 with Retry-After); a silent connection is closed. */
class LongPollAndIdleTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private InMemoryNode node;
    private GatewayServer server;
    private String base;

    private void start(GatewaySettings settings) throws Exception {
        vertx = Vertx.vertx();
        node = new InMemoryNode();
        server = GatewayServer.start(vertx, node, settings);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (server == null) {
            return;
        }
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private String submit() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://a.example/\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(r.body()).path("id").asText();
    }

    private CompletableFuture<HttpResponse<String>> poll(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitWaiting(int polls) throws InterruptedException {
        while (node.listenerCount() < polls) {
            Thread.sleep(5);
        }
    }

    private static void assertRefusedWithCap(HttpResponse<String> r, String cap) throws Exception {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("retry-after").orElseThrow());
        JsonNode error = MAPPER.readTree(r.body()).path("error");
        assertEquals("wait", error.path("field").asText(), r.body());
        assertTrue(error.path("message").asText().contains(cap), r.body());
    }

    @Test
    void aCallerMayHoldOnlyItsCapOfLongPollsOutcallsAndIngressTogether() throws Exception {
        start(GatewaySettings.of("127.0.0.1", 0).withLongPolls(2, 100));
        String a = submit();
        String b = submit();
        CompletableFuture<HttpResponse<String>> first = poll("/api/v1/outcalls/" + a + "?wait=30");
        poll("/api/v1/ingress/" + b + "?wait=30");
        awaitWaiting(2);
        assertRefusedWithCap(poll("/api/v1/outcalls/" + b + "?wait=5").get(), "at most 2 waiting requests (?wait=) per caller");
        assertRefusedWithCap(poll("/api/v1/ingress/" + a + "?wait=5").get(), "127.0.0.1 has that many");
        assertEquals(200, poll("/api/v1/outcalls/" + b).get().statusCode(), "a lookup without wait is not capped");

        node.records.put(a, ("{\"id\":\"" + a + "\",\"status\":\"completed\"}").getBytes(StandardCharsets.UTF_8));
        node.executeHeight();
        assertEquals(200, first.get().statusCode());
        CompletableFuture<HttpResponse<String>> again = poll("/api/v1/outcalls/" + b + "?wait=30");
        awaitWaiting(2);
        assertTrue(!again.isDone(), "the answered poll gave its slot back");
    }

    @Test
    void allCallersTogetherMayHoldOnlyTheTotalCap() throws Exception {
        start(GatewaySettings.of("127.0.0.1", 0).withLongPolls(10, 2));
        String id = submit();
        poll("/api/v1/outcalls/" + id + "?wait=30");
        poll("/api/v1/outcalls/" + id + "?wait=30");
        awaitWaiting(2);
        // another caller on loopback: 127.0.0.2 has no poll open, yet the gateway is full
        RawHttp.Answer other = RawHttp.get(InetAddress.getByName("127.0.0.2"), server.port(),
                "/api/v1/outcalls/" + id + "?wait=5", "127.0.0.1:" + server.port());
        assertEquals(429, other.status(), other.head());
        assertTrue(other.head().toLowerCase().contains("retry-after: 1"), other.head());
        assertTrue(other.body().contains("at most 2 waiting requests (?wait=) at once in all"), other.body());
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        start(GatewaySettings.of("127.0.0.1", 0).withIdleTimeout(1));
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            silent.setSoTimeout(20_000);
            InputStream in = silent.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the silent connection was still open after 20 s (idle timeout 1 s)", e);
            }
            assertEquals(-1, read, "closed by the gateway without an answer");
        }
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/subnet")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "a client that speaks is served");
    }

    @Test
    void aLongPollEndsBeforeTheIdleTimeoutWouldCutIt() {
        assertEquals(60, LongPolls.longestWait(GatewaySettings.DEFAULT_IDLE_TIMEOUT_SECONDS), "the default leaves ?wait=60 whole");
        assertEquals(25, LongPolls.longestWait(30));
        assertEquals(0, LongPolls.longestWait(1));
        assertEquals(60, LongPolls.longestWait(0), "no idle timeout");
    }
}
