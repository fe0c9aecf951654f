package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.replica.SubnetNode.IngressState;

/**
 * A result looked up just as the block that recorded it executes: the proxy has no record at the
 * first look, the message is executed by the second. The gateway looks once more, and a request
 * without {@code wait} still gets its answer at once.
 */
class ResultLookupRaceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ID = "ab".repeat(32);

    /** No record at the first look; the pending record from the second on. */
    private static final class RecordAppearsLate extends InMemoryNode {
        final AtomicInteger looks = new AtomicInteger();

        @Override
        public CompletionStage<byte[]> query(String canisterId, String method, byte[] argument) {
            if (looks.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(new Exception(ProxyProtocol.NOT_FOUND_PREFIX
                        + new String(argument, StandardCharsets.UTF_8)));
            }
            return super.query(canisterId, method, argument);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private GatewayServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aLookWithoutWaitThatRacesTheBlockIsAnsweredAtOnce() throws Exception {
        RecordAppearsLate node = new RecordAppearsLate();
        node.ingress.put(ID, new IngressState(IngressState.Status.EXECUTED, "", 9));
        node.records.put(ID, ("{\"id\":\"" + ID + "\",\"status\":\"" + ProxyProtocol.STATUS_PENDING + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        server = GatewayServer.start(vertx, node, GatewaySettings.of("127.0.0.1", 0));
        // Before, the second look was not the last one, and without wait nothing else came: the
        // request hung until the idle timeout cut the connection.
        HttpResponse<String> r = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.port() + "/api/v1/outcalls/" + ID)).build(), HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(ProxyProtocol.STATUS_PENDING, MAPPER.readTree(r.body()).path("status").asText());
        assertEquals(2, node.looks.get(), "looked once more after the first look found no record");
    }
}
