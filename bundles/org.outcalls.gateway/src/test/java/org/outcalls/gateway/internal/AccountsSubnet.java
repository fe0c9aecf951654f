package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyCanisters;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.canister.proxy.ProxyQuotas;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.Principals;
import org.outcalls.testkit.TestSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;
import org.outcalls.transform.basic.internal.IdentityTransform;

/**
 * A real 4-replica subnet running the proxy with the given quotas, behind a real gateway on
 * loopback, fetching from a scripted HTTPS origin: {@code /fixed} answers everyone alike,
 * {@code /stall} never answers. Callers sign their own ingress messages ({@link Caller}).
 */
final class AccountsSubnet implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom NONCES = new SecureRandom();

    final ScriptedOrigin origin;
    final TestSubnet subnet;
    final Vertx vertx;
    final GatewayServer server;
    final String base;
    final HttpClient http = HttpClient.newHttpClient();

    AccountsSubnet(ProxyQuotas quotas, GatewaySettings settings) throws Exception {
        origin = ScriptedOrigin.start()
                .route("/fixed", r -> ScriptedOrigin.Reply.text("the same for everyone"))
                .route("/stall", r -> ScriptedOrigin.Reply.never());
        subnet = TestSubnet.builder().origin(origin).plugin(new TwoThirdsPolicy(), "0.1.0")
                .plugin(new IdentityTransform(), "0.1.0").enableInstalled()
                .canister(ProxyCanisters.create(quotas)).start();
        vertx = Vertx.vertx();
        server = GatewayServer.start(vertx, subnet.node(), settings);
        base = "http://127.0.0.1:" + server.port();
    }

    /** A caller with its own key, signing its own ingress messages. */
    final class Caller {
        final NodeKey key = NodeKey.generate();
        final String principal = Principals.ofKey(key.publicKey());

        /** Signs an outcall to the proxy, relays it through {@code POST /api/v1/ingress}; the message id. */
        String outcall(String requestJson) throws Exception {
            return send(ProxyProtocol.METHOD_OUTCALL,
                    OutcallJson.writeArgument(OutcallJson.parseRequest(requestJson.getBytes(StandardCharsets.UTF_8))));
        }

        String outcall(String path, long cycles) throws Exception {
            return outcall("{\"url\":\"" + origin.url(path) + "\",\"cycles\":" + cycles + "}");
        }

        /** Asks the proxy for this caller's own account; the record, once executed. */
        JsonNode balance() throws Exception {
            return await(send(ProxyProtocol.METHOD_BALANCE, new byte[0]));
        }

        String send(String method, byte[] argument) throws Exception {
            byte[] signed = IngressMessage.sign(Hash.wrap(subnet.subnet().genesis().subnetIdBytes()), ProxyProtocol.CANISTER_ID,
                    method, argument, NONCES.nextLong() & Long.MAX_VALUE, System.currentTimeMillis() + 120_000, key).encode();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/ingress"))
                    .header("content-type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new AssertionError("ingress: " + r.statusCode() + " " + r.body());
            }
            return MAPPER.readTree(r.body()).get("id").asText();
        }
    }

    Caller caller(long cycles) throws InterruptedException {
        Caller c = new Caller();
        if (cycles > 0) {
            subnet.topUp(c.principal, cycles);
        }
        return c;
    }

    /** The record as it is now. */
    HttpResponse<String> record(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Long-polls until the record is final. */
    JsonNode await(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/outcalls/" + id + "?wait=20"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(id + ": " + r.statusCode() + " " + r.body());
            }
            JsonNode j = MAPPER.readTree(r.body());
            if (!"pending".equals(j.path("status").asText())) {
                return j;
            }
        }
        throw new AssertionError("outcall " + id + " did not end");
    }

    /** Waits until the front replica has a record for the message (it was executed). */
    JsonNode awaitRecorded(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = record(id);
            if (r.statusCode() == 200 && !"rejected".equals(MAPPER.readTree(r.body()).path("status").asText())
                    && MAPPER.readTree(r.body()).has("submitted_height")) {
                return MAPPER.readTree(r.body());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no record of " + id + ": " + record(id).body());
    }

    @Override
    public void close() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        subnet.close();
        origin.close();
    }
}
