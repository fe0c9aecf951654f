package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.canister.proxy.ProxyQuotas;
import org.outcalls.gateway.apikeys.ApiKeyStore;

/**
 * The unsigned JSON route from an address that is not loopback, over a real socket to this host's
 * own non-loopback address: refused without an API key, signed as the key's identity with one,
 * refused again once the key is revoked; from loopback it stays the development route.
 */
class ApiKeyRouteTest {
    private static final long CYCLES = 100_000_000_000L;

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void fromElsewhereAnUnsignedCallNeedsAValidApiKeyAndIsAccountedToItsIdentity() throws Exception {
        InetAddress external = nonLoopbackAddress();
        assumeTrue(external != null, "this host has no non-loopback IPv4 address to call the gateway from");
        Path keysDir = data.resolve("gateway");
        GatewaySettings settings = GatewaySettings.of("0.0.0.0", 0)
                .withAllowed(List.of(external.getHostAddress()), List.of())
                .withUnsignedCalls(UnsignedCalls.LOOPBACK, keysDir);
        try (AccountsSubnet s = new AccountsSubnet(ProxyQuotas.DEFAULT, settings)) {
            String remote = "http://" + external.getHostAddress() + ":" + s.server.port();
            String request = "{\"url\":\"" + s.origin.url("/fixed") + "\"}";

            HttpResponse<String> anonymous = post(remote + "/api/v1/outcalls", "application/json", request, null);
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertTrue(anonymous.body().contains("\"field\":\"authorization\"") && anonymous.body().contains("needs an API key"),
                    anonymous.body());
            assertEquals("Bearer realm=\"outcalls\"", anonymous.headers().firstValue("www-authenticate").orElse(""));
            assertEquals(401, post(remote + "/api/v1/canisters/proxy/update/balance", "application/octet-stream", "", null)
                    .statusCode(), "the canister update route is held to the same rule");

            ApiKeyStore keys = new ApiKeyStore(keysDir);
            ApiKeyStore.Created ci = keys.create("ci");
            s.subnet.topUp(ci.key().principal(), CYCLES);
            HttpResponse<String> accepted = post(remote + "/api/v1/outcalls", "application/json", request, ci.secret());
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonNode result = s.await(AccountsSubnet.MAPPER.readTree(accepted.body()).get("id").asText());
            assertEquals("completed", result.path("status").asText(), result.toString());
            assertEquals(ci.key().principal(), result.path("caller").asText(), "signed as the API key's identity");
            HttpResponse<String> asked = post(remote + "/api/v1/canisters/proxy/update/balance", "application/octet-stream",
                    "", ci.secret());
            assertEquals(202, asked.statusCode(), asked.body());
            JsonNode account = s.await(AccountsSubnet.MAPPER.readTree(asked.body()).get("id").asText()).path("account");
            assertEquals(CYCLES - result.path("cycles").path("charged").asLong(), account.path("balance").asLong(),
                    "the outcall was paid from the key's own account");

            assertEquals(401, post(remote + "/api/v1/outcalls", "application/json", request,
                    ApiKeyStore.SECRET_PREFIX + "A".repeat(43)).statusCode(), "an unknown key");
            keys.revoke("ci");
            HttpResponse<String> revoked = post(remote + "/api/v1/outcalls", "application/json", request, ci.secret());
            assertEquals(401, revoked.statusCode(), revoked.body());
            assertTrue(revoked.body().contains("was revoked"), revoked.body());

            HttpResponse<String> local = post(s.base + "/api/v1/outcalls", "application/json", request, null);
            assertEquals(202, local.statusCode(), local.body());
            JsonNode dev = s.await(AccountsSubnet.MAPPER.readTree(local.body()).get("id").asText());
            assertEquals(s.subnet.subnet().developmentPrincipal(), dev.path("caller").asText(),
                    "from loopback without a key: the gateway's own development identity");
        }
    }

    @Test
    void theRouteCanRequireApiKeysEvenOnLoopbackOrBeOff() throws Exception {
        Vertx vertx = Vertx.vertx();
        InMemoryNode node = new InMemoryNode();
        try {
            GatewayServer keysOnly = GatewayServer.start(vertx, node, GatewaySettings.of("127.0.0.1", 0)
                    .withUnsignedCalls(UnsignedCalls.API_KEY, data));
            GatewayServer off = GatewayServer.start(vertx, node, GatewaySettings.of("127.0.0.1", 0)
                    .withUnsignedCalls(UnsignedCalls.OFF, data));
            String body = "{\"url\":\"https://a.example/\"}";
            HttpResponse<String> noKey = post("http://127.0.0.1:" + keysOnly.port() + "/api/v1/outcalls", "application/json",
                    body, null);
            assertEquals(401, noKey.statusCode(), noKey.body());
            ApiKeyStore.Created k = new ApiKeyStore(data).create("tool");
            HttpResponse<String> closed = post("http://127.0.0.1:" + off.port() + "/api/v1/outcalls", "application/json",
                    body, k.secret());
            assertEquals(403, closed.statusCode(), closed.body());
            assertTrue(closed.body().contains("/api/v1/ingress"), closed.body());
            assertEquals(List.of(), node.submitted, "nothing was submitted");
            keysOnly.close();
            off.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private HttpResponse<String> post(String url, String contentType, String body, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("authorization", "Bearer " + apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of an interface of this host that is up and not loopback, or null. */
    static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!i.isUp() || i.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(i.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
