package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.consensus.outcall.CertificateVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.testkit.origin.ScriptedOrigin;

/** Issue 5 end to end on a 4-replica subnet with a real HTTPS origin. */
class OutcallEndToEndTest {
    static ScriptedOrigin origin;
    static TestSubnet subnet;
    static final AtomicLong counter = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptedOrigin.start()
                .route("/fixed", r -> ScriptedOrigin.Reply.text("the same for everyone"))
                .route("/size", r -> ScriptedOrigin.Reply.text(r.method() + " " + r.body().length))
                .route("/time", r -> ScriptedOrigin.Reply.text("tick").withHeader("x-served-at",
                        Long.toString(System.nanoTime() + counter.incrementAndGet())));
        subnet = BundledPlugins.all(TestSubnet.builder().origin(origin)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    private static String get(String path) {
        return "{\"url\":\"" + origin.url(path) + "\"}";
    }

    @Test
    void identicalResponsesCompleteWithAVerifiableCertificate() throws Exception {
        JsonNode r = subnet.call(get("/fixed"));
        assertEquals("completed", r.path("status").asText(), r.toString());
        JsonNode response = r.path("response");
        assertEquals(200, response.path("status").asInt());
        byte[] body = Base64.getDecoder().decode(response.path("body").asText());
        assertEquals("the same for everyone", new String(body, StandardCharsets.UTF_8));
        assertTrue(subnet.stateHashesAgree());

        List<HttpHeader> headers = new java.util.ArrayList<>();
        response.path("headers").forEach(h -> headers.add(new HttpHeader(h.path("name").asText(), h.path("value").asText())));
        HttpResponse delivered = HttpResponse.of(200, headers, body);
        byte[] certificate = Base64.getDecoder().decode(r.path("certificate").asText());
        Hash subnetId = Hash.fromHex(subnet.subnet().genesis().subnetId());
        var keys = subnet.subnet().genesis().registry().memberKeys();
        CertificateVerifier.Verdict v = CertificateVerifier.verify(certificate, subnetId, keys, delivered, null, null);
        assertTrue(v.genuine(), v.explanation());
        HttpResponse tampered = delivered.withBody("the same for some".getBytes(StandardCharsets.UTF_8));
        assertTrue(!CertificateVerifier.verify(certificate, subnetId, keys, tampered, null, null).genuine());
    }

    @Test
    void fetchFailuresAreAgreedRejectsWithTheAdaptersCodeAndKind() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        JsonNode down = subnet.call("{\"url\":\"https://localhost:" + closedPort + "/\"}");
        assertReject(down, "SYS_TRANSIENT", "unreachable");

        JsonNode unresolvable = subnet.call("{\"url\":\"https://no-such-host.invalid/\"}");
        assertReject(unresolvable, "SYS_TRANSIENT", "dns_error");

        try (ScriptedOrigin untrusted = ScriptedOrigin.start()) {
            untrusted.route("/", r -> ScriptedOrigin.Reply.text("hi"));
            JsonNode badTls = subnet.call("{\"url\":\"" + untrusted.url("/") + "\"}");
            assertReject(badTls, "SYS_TRANSIENT", "bad_tls");
            assertTrue(badTls.path("reject").path("message").asText().contains("localhost"), badTls.toString());
        }
        assertTrue(subnet.stateHashesAgree());
    }

    @Test
    void theExactFeeSucceedsOneCycleLessIsRejectedAndTheRefundIsExact() throws Exception {
        String json = "{\"url\":\"" + origin.url("/fixed") + "\",\"cycles\":%d}";
        long fee = org.outcalls.api.Fees.httpRequestFee(4, org.outcalls.canister.proxy.OutcallJson
                .parseRequest(String.format(json, 1).getBytes(StandardCharsets.UTF_8)).request());

        JsonNode exact = subnet.call(String.format(json, fee));
        assertEquals("completed", exact.path("status").asText(), exact.toString());
        assertEquals(fee, exact.path("cycles").path("charged").asLong());
        assertEquals(0, exact.path("cycles").path("refunded").asLong());

        JsonNode short1 = subnet.call(String.format(json, fee - 1));
        assertReject(short1, "CANISTER_REJECT", "insufficient_cycles");
        assertEquals("http_request request sent with " + (fee - 1) + " cycles, but " + fee + " cycles are required.",
                short1.path("reject").path("message").asText());
        assertEquals(0, short1.path("cycles").path("charged").asLong());
        assertEquals(fee - 1, short1.path("cycles").path("refunded").asLong());

        JsonNode generous = subnet.call(String.format(json, fee + 12_345));
        assertEquals("completed", generous.path("status").asText());
        assertEquals(fee, generous.path("cycles").path("charged").asLong());
        assertEquals(12_345, generous.path("cycles").path("refunded").asLong());
    }

    @Test
    void theLargestValidRequestGoesThroughRestAndTheProxy() throws Exception {
        // headers + body may be 2,000,000 bytes; the replicas' tag header is left out so the request is exactly at the limit
        String body = Base64.getEncoder().encodeToString(new byte[(int) org.outcalls.api.Limits.MAX_REQUEST_BYTES]);
        try (TestSubnet untagged = BundledPlugins.all(TestSubnet.builder().origin(origin).tagReplicas(false)).start()) {
            JsonNode r = untagged.call("{\"url\":\"" + origin.url("/size") + "\",\"method\":\"POST\",\"body\":\"" + body + "\"}");
            assertEquals("completed", r.path("status").asText(), r.path("reject").toString());
            assertEquals("POST 2000000", new String(Base64.getDecoder().decode(r.path("response").path("body").asText()),
                    StandardCharsets.UTF_8));
        }
    }

    static void assertReject(JsonNode r, String code, String kind) {
        assertEquals("rejected", r.path("status").asText(), r.toString());
        assertEquals(code, r.path("reject").path("code").asText(), r.toString());
        assertEquals(kind, r.path("reject").path("kind").asText(), r.toString());
    }

    @Test
    void aHeaderThatDiffersPerRequestIsNoConsensusUntilStripped() throws Exception {
        JsonNode raw = subnet.call(get("/time"));
        assertEquals("rejected", raw.path("status").asText(), raw.toString());
        assertEquals("SYS_TRANSIENT", raw.path("reject").path("code").asText());
        assertEquals("no_consensus", raw.path("reject").path("kind").asText());
        assertTrue(raw.path("reject").path("message").asText().contains("groups"), raw.toString());

        String stripped = "{\"url\":\"" + origin.url("/time") + "\",\"transform\":{\"name\":\"strip-headers\","
                + "\"context\":\"" + Base64.getEncoder().encodeToString("x-served-at".getBytes(StandardCharsets.UTF_8)) + "\"}}";
        JsonNode ok = subnet.call(stripped);
        assertEquals("completed", ok.path("status").asText(), ok.toString());
    }
}
