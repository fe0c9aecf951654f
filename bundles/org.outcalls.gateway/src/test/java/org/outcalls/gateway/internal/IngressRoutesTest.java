package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.SubnetStatus;

/** {@code POST /api/v1/ingress} relays the caller's signed bytes untouched; {@code GET} reports the outcome and height. */
class IngressRoutesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private RelayingNode node;
    private GatewayServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        node = new RelayingNode();
        server = GatewayServer.start(vertx, node, "127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/ingress"))
                .header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] adminMessage(NodeKey key, String argument) {
        return IngressMessage.sign(org.outcalls.crypto.Hash.sha256(new byte[] {1}), ManagementCanister.ID,
                ManagementCanister.ENABLE_PLUGIN,
                argument.getBytes(StandardCharsets.UTF_8), 7, System.currentTimeMillis() + 60_000, key).encode();
    }

    @Test
    void relaysTheSignedBytesAndAnswersTheMessageId() throws Exception {
        NodeKey admin = NodeKey.generate();
        byte[] signed = adminMessage(admin, "median@1.0.0");
        HttpResponse<String> r = post(signed);
        assertEquals(202, r.statusCode(), r.body());
        String id = MAPPER.readTree(r.body()).get("id").asText();
        assertEquals(IngressMessage.decode(signed).idHex(), id);
        assertEquals("/api/v1/ingress/" + id, r.headers().firstValue("location").orElseThrow());
        assertEquals(1, node.relayed.size());
        assertArrayEquals(signed, node.relayed.get(0), "the node got exactly the caller's bytes");

        JsonNode pending = MAPPER.readTree(get("/api/v1/ingress/" + id).body());
        assertEquals("received", pending.get("status").asText());
        node.states.put(id, new SubnetNode.IngressState(SubnetNode.IngressState.Status.EXECUTED, "", 42));
        JsonNode executed = MAPPER.readTree(get("/api/v1/ingress/" + id).body());
        assertEquals("executed", executed.get("status").asText());
        assertEquals(42, executed.get("height").asLong());
    }

    @Test
    void aWaitingLookupAnswersAtTheHeightThatExecutesTheMessage() throws Exception {
        byte[] signed = adminMessage(NodeKey.generate(), "median@1.0.0");
        String id = MAPPER.readTree(post(signed).body()).get("id").asText();
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/ingress/" + id + "?wait=30")).build(),
                HttpResponse.BodyHandlers.ofString());
        while (node.listeners.isEmpty()) {
            Thread.sleep(5);
        }
        node.states.put(id, new SubnetNode.IngressState(SubnetNode.IngressState.Status.FAILED,
                "enable_plugin: the sender is not an admin of this subnet", 9));
        node.listeners.forEach(Runnable::run);
        JsonNode failed = MAPPER.readTree(waiting.get().body());
        assertEquals("failed", failed.get("status").asText());
        assertEquals(9, failed.get("height").asLong());
        assertTrue(failed.get("message").asText().contains("not an admin"));
    }

    @Test
    void malformedOrTamperedMessagesAre400AndReachNoReplica() throws Exception {
        HttpResponse<String> empty = post(new byte[0]);
        assertEquals(400, empty.statusCode());
        assertEquals("body", MAPPER.readTree(empty.body()).get("error").get("field").asText());

        HttpResponse<String> garbage = post("{\"not\":\"canonical\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.body().contains("malformed"), garbage.body());

        byte[] tampered = adminMessage(NodeKey.generate(), "median@1.0.0");
        tampered[20] ^= 1;
        HttpResponse<String> bad = post(tampered);
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("signature"), bad.body());
        assertEquals(0, node.relayed.size());

        assertEquals(404, get("/api/v1/ingress/" + "ab".repeat(32)).statusCode());
        assertEquals(400, get("/api/v1/ingress/xyz").statusCode());
        HttpResponse<String> tooLong = get("/api/v1/ingress/" + "ab".repeat(32) + "?wait=61");
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("must be within 0..60 seconds (was 61)"), tooLong.body());
        HttpResponse<String> notANumber = get("/api/v1/ingress/" + "ab".repeat(32) + "?wait=x");
        assertEquals(400, notANumber.statusCode());
        assertTrue(notANumber.body().contains("must be a whole number of seconds within 0..60"), notANumber.body());
    }

    /** Checks messages the way a replica's ingress admission does (decode, signature), and remembers them. */
    private static final class RelayingNode implements SubnetNode {
        final List<byte[]> relayed = new CopyOnWriteArrayList<>();
        final Map<String, IngressState> states = new ConcurrentHashMap<>();
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<String> submitSigned(byte[] message) {
            try {
                IngressMessage m = IngressMessage.decode(message);
                if (!m.verifySignature()) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("bad signature"));
                }
                relayed.add(message);
                states.put(m.idHex(), IngressState.of(IngressState.Status.RECEIVED));
                return CompletableFuture.completedFuture(m.idHex());
            } catch (DecodeException e) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("malformed ingress message: " + e.getMessage()));
            }
        }

        @Override
        public CompletionStage<String> submit(String canisterId, String method, byte[] argument) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<byte[]> query(String canisterId, String method, byte[] argument) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IngressState ingressState(String messageId) {
            return states.getOrDefault(messageId, IngressState.of(IngressState.Status.UNKNOWN));
        }

        @Override
        public SubnetStatus status() {
            return InMemoryNode.oneReplicaAtHeight7();
        }

        @Override
        public AutoCloseable onHeight(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
