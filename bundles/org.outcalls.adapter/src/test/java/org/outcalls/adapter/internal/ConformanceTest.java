package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.adapter.internal.AdapterFixture.fetch;
import static org.outcalls.adapter.internal.AdapterFixture.headersTotalling;
import static org.outcalls.adapter.internal.AdapterFixture.ok;
import static org.outcalls.adapter.internal.AdapterFixture.rejected;
import static org.outcalls.adapter.internal.AdapterFixture.text;
import static org.outcalls.adapter.internal.RawOrigin.respond;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * The adapter against a real local HTTPS origin: every limit at exactly the limit (passes) and
 * one byte over (fails with the right code and kind), and the failure modes of the issue.
 */
class ConformanceTest {
    private static Vertx vertx;
    private static Vertx originVertx;
    private static RawOrigin origin;
    private static VertxHttpsAdapter adapter;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        originVertx = Vertx.vertx();
        origin = new RawOrigin(originVertx, AdapterFixture.PKI.issueLocalhost());
        origin.route("/echo", (req, s) -> {
            StringBuilder b = new StringBuilder(req.method()).append(' ').append(req.target()).append('\n');
            for (HttpHeader h : req.headers()) {
                b.append(h.name()).append(": ").append(h.value()).append('\n');
            }
            byte[] head = b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + req.body().length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(req.body(), 0, body, head.length, req.body().length);
            respond(s, 200, List.of(new HttpHeader("content-length", String.valueOf(body.length))), body);
        });
        origin.route("/sink", (req, s) -> {
            byte[] body = ("received " + req.headers().size() + " headers and " + req.body().length + " body bytes")
                    .getBytes(StandardCharsets.UTF_8);
            respond(s, 200, List.of(new HttpHeader("content-length", String.valueOf(body.length))), body);
        });
        adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build());
    }

    @AfterAll
    static void stop() throws Exception {
        adapter.close();
        origin.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        originVertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private static OutcallRequest.Builder get(String path) {
        return OutcallRequest.builder(origin.url(path));
    }

    /** Registers a route that answers with exactly these headers and body. */
    private static String fixed(String path, int status, List<HttpHeader> headers, byte[] body) {
        origin.route(path, (req, s) -> respond(s, status, headers, body));
        return path;
    }

    // ---------------------------------------------------------------- requests as sent

    @Test
    void sendsExactlyTheGivenRequestPlusADefaultUserAgent() throws Exception {
        HttpResponse r = ok(fetch(adapter, get("/echo?a=1").header("X-Custom", "Value One").header("x-custom", "two").build()));
        String echo = text(r);
        assertTrue(echo.startsWith("GET /echo?a=1\n"), echo);
        assertTrue(echo.contains("\nX-Custom: Value One\nx-custom: two\n"), "names, case and order kept: " + echo);
        assertTrue(echo.contains("\nuser-agent: " + Limits.DEFAULT_USER_AGENT + "\n"), echo);
        assertFalse(echo.toLowerCase().contains("accept-encoding"), "no Accept-Encoding added: " + echo);
        List<String> sent = echo.lines().skip(1).takeWhile(l -> !l.isEmpty()).map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertEquals(List.of("X-Custom", "x-custom", "user-agent", "host"), sent, "nothing else is sent");
        assertEquals(List.of(new HttpHeader("content-length", String.valueOf(r.bodySize()))), r.headers());
    }

    @Test
    void aControlCharacterInAHeaderValueIsRefusedNotSent() throws Exception {
        Reject r = rejected(fetch(adapter, get("/echo").header("x-bad", "a\u000bb").build()), RejectCode.SYS_FATAL,
                RejectKind.INVALID_ARGUMENT);
        assertTrue(r.message().contains("x-bad") && r.message().contains("U+000B"), r.message());
        String echo = text(ok(fetch(adapter, get("/echo").header("x-tab", "a\tb").header("x-utf8", "grüße").build())));
        assertTrue(echo.contains("\nx-tab: a\tb\n") && echo.contains("\nx-utf8: grüße\n"), echo);
    }

    @Test
    void keepsTheCallersUserAgent() throws Exception {
        String echo = text(ok(fetch(adapter, get("/echo").header("User-Agent", "mine/2").build())));
        assertTrue(echo.contains("\nUser-Agent: mine/2\n"), echo);
        assertFalse(echo.contains(Limits.DEFAULT_USER_AGENT), echo);
    }

    @Test
    void postEchoesTheBody() throws Exception {
        byte[] body = "{\"hello\":\"wörld\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse r = ok(fetch(adapter, get("/echo").method(HttpMethod.POST)
                .header("content-type", "application/json").body(body).build()));
        String echo = text(r);
        assertTrue(echo.startsWith("POST /echo\n"), echo);
        assertTrue(echo.contains("\ncontent-length: " + body.length + "\n"), echo);
        assertTrue(echo.endsWith("\n\n{\"hello\":\"wörld\"}"), echo);
    }

    @Test
    void nonAsciiUrlIsSentPercentEncoded() throws Exception {
        String echo = text(ok(fetch(adapter, get("/echo?q=ü&x=%41#frag").build())));
        assertTrue(echo.startsWith("GET /echo?q=%C3%BC&x=%41\n"), echo);
        HttpResponse r = ok(fetch(adapter, OutcallRequest.builder(origin.url("/ěcho/ü")).build()));
        assertEquals(404, r.status(), "path /%C4%9Bcho/%C3%BC is not a route");
    }

    @Test
    void headSendsNoBodyAndCountsNone() throws Exception {
        String path = fixed("/head", 200, List.of(new HttpHeader("content-length", "5000")), new byte[0]);
        HttpResponse r = ok(fetch(adapter, get(path).method(HttpMethod.HEAD).maxResponseBytes(100).build()));
        assertEquals(200, r.status());
        assertEquals(0, r.bodySize());
        assertEquals("5000", r.headers().get(0).value());
    }

    // ---------------------------------------------------------------- request limits (defence in depth)

    @Test
    void urlAtTheLimitPassesAndOneByteOverIsRejected() throws Exception {
        String base = origin.url("/sink?p=");
        String atLimit = base + "a".repeat(Limits.MAX_URL_BYTES - base.length());
        assertEquals(Limits.MAX_URL_BYTES, atLimit.getBytes(StandardCharsets.UTF_8).length);
        ok(fetch(adapter, OutcallRequest.builder(atLimit).build()));
        Reject r = rejected(fetch(adapter, OutcallRequest.builder(atLimit + "a").build()),
                RejectCode.CANISTER_REJECT, RejectKind.INVALID_URL);
        assertTrue(r.message().contains("8193") && r.message().contains("8192"), r.message());
    }

    @Test
    void requestHeaderCountAtTheLimitPassesAndOneOverIsRejected() throws Exception {
        OutcallRequest.Builder b = get("/sink");
        for (int i = 0; i < Limits.MAX_HEADER_COUNT; i++) {
            b.header("h" + i, "v");
        }
        // 64 of the caller's, the default user-agent (which counts toward no limit) and host.
        assertEquals("received 66 headers and 0 body bytes", text(ok(fetch(adapter, b.build()))));
        Reject r = rejected(fetch(adapter, b.header("one-more", "v").build()), RejectCode.CANISTER_REJECT,
                RejectKind.HEADER_LIMIT);
        assertTrue(r.message().contains("65") && r.message().contains("64"), r.message());
    }

    @Test
    void requestHeaderNameAndValueAtTheLimitPassAndOneByteOverIsRejected() throws Exception {
        ok(fetch(adapter, get("/sink").header("n".repeat(Limits.MAX_HEADER_NAME_BYTES), "v").build()));
        rejected(fetch(adapter, get("/sink").header("n".repeat(Limits.MAX_HEADER_NAME_BYTES + 1), "v").build()),
                RejectCode.CANISTER_REJECT, RejectKind.HEADER_LIMIT);
        ok(fetch(adapter, get("/sink").header("v", "x".repeat(Limits.MAX_HEADER_VALUE_BYTES)).build()));
        Reject r = rejected(fetch(adapter, get("/sink").header("v", "x".repeat(Limits.MAX_HEADER_VALUE_BYTES + 1)).build()),
                RejectCode.CANISTER_REJECT, RejectKind.HEADER_LIMIT);
        assertTrue(r.message().contains("8193"), r.message());
    }

    @Test
    void requestHeaderTotalAtTheLimitPassesAndOneByteOverIsRejected() throws Exception {
        OutcallRequest.Builder atLimit = get("/sink");
        for (HttpHeader h : headersTotalling(8, Limits.MAX_HEADER_TOTAL_BYTES)) {
            if (!h.name().equals("content-length")) {
                atLimit.header(h);
            }
        }
        atLimit.header("content-type", "x"); // 12 + 1 = 13 bytes
        OutcallRequest base = atLimit.build();
        long total = base.headerBytes();
        // headersTotalling counted content-length: 0 (15 bytes); content-type: x is 13: pad 2 more.
        OutcallRequest exact = base.toBuilder().header("ab", "").build();
        assertEquals(Limits.MAX_HEADER_TOTAL_BYTES, total + 2);
        ok(fetch(adapter, exact));
        // An Idempotency-Key (added by the methods plugin) counts toward no limit.
        ok(fetch(adapter, exact.toBuilder().header("Idempotency-Key", "k-123456").build()));
        Reject r = rejected(fetch(adapter, exact.toBuilder().header("c", "").build()), RejectCode.CANISTER_REJECT,
                RejectKind.HEADER_LIMIT);
        assertTrue(r.message().contains("49153") && r.message().contains("49152"), r.message());
    }

    @Test
    void requestSizeAtTheLimitPassesAndOneByteOverIsRejected() throws Exception {
        OutcallRequest head = get("/sink").method(HttpMethod.POST).header("content-type", "application/octet-stream").build();
        int body = (int) (Limits.MAX_REQUEST_BYTES - head.headerBytes());
        OutcallRequest exact = head.toBuilder().body(new byte[body]).build();
        assertEquals("received 4 headers and " + body + " body bytes", text(ok(fetch(adapter, exact))));
        Reject r = rejected(fetch(adapter, head.toBuilder().body(new byte[body + 1]).build()),
                RejectCode.CANISTER_REJECT, RejectKind.REQUEST_TOO_LARGE);
        assertTrue(r.message().contains("2000001") && r.message().contains("2000000"), r.message());
    }

    // ---------------------------------------------------------------- response limits

    @Test
    void responseHeaderCountAtTheLimitPassesAndOneOverFails() throws Exception {
        HttpResponse r = ok(fetch(adapter, get(fixed("/count64", 200, headersTotalling(64, 2000), new byte[0])).build()));
        assertEquals(64, r.headers().size());
        assertEquals("h0000", r.headers().get(1).name(), "order kept");
        Reject reject = rejected(fetch(adapter, get(fixed("/count65", 200, headersTotalling(65, 2000), new byte[0])).build()),
                RejectCode.SYS_FATAL, RejectKind.HEADER_LIMIT);
        assertTrue(reject.message().contains("response has 65 headers; at most 64"), reject.message());
    }

    @Test
    void responseHeaderNameAndValueAtTheLimitPassAndOneByteOverFail() throws Exception {
        HttpHeader cl = new HttpHeader("content-length", "0");
        ok(fetch(adapter, get(fixed("/name8192", 200, List.of(cl, new HttpHeader("n".repeat(8192), "v")), new byte[0])).build()));
        rejected(fetch(adapter, get(fixed("/name8193", 200, List.of(cl, new HttpHeader("n".repeat(8193), "v")), new byte[0])).build()),
                RejectCode.SYS_FATAL, RejectKind.HEADER_LIMIT);
        ok(fetch(adapter, get(fixed("/value8192", 200, List.of(cl, new HttpHeader("v", "x".repeat(8192))), new byte[0])).build()));
        Reject r = rejected(fetch(adapter, get(fixed("/value8193", 200, List.of(cl, new HttpHeader("v", "x".repeat(8193))), new byte[0])).build()),
                RejectCode.SYS_FATAL, RejectKind.HEADER_LIMIT);
        assertTrue(r.message().contains("8193") && r.message().contains("8192"), r.message());
    }

    @Test
    void responseHeaderTotalAtTheLimitPassesAndOneByteOverFails() throws Exception {
        HttpResponse r = ok(fetch(adapter, get(fixed("/total-at", 200, headersTotalling(8, 49152), new byte[0])).build()));
        assertEquals(49152, Limits.headerBytes(r.headers()));
        Reject reject = rejected(fetch(adapter, get(fixed("/total-over", 200, headersTotalling(8, 49153), new byte[0])).build()),
                RejectCode.SYS_FATAL, RejectKind.HEADER_LIMIT);
        assertTrue(reject.message().contains("49153") && reject.message().contains("49152"), reject.message());
    }

    @Test
    void maxResponseBytesWithABodyAtTheLimitPassesAndOneByteOverFails() throws Exception {
        // content-length: 1006 is 18 header bytes; 18 + 1006 = 1024.
        HttpResponse r = ok(fetch(adapter, get(fixed("/body-at", 200,
                List.of(new HttpHeader("content-length", "1006")), new byte[1006])).maxResponseBytes(1024).build()));
        assertEquals(1024, r.byteSize());
        Reject reject = rejected(fetch(adapter, get(fixed("/body-over", 200,
                        List.of(new HttpHeader("content-length", "1007")), new byte[1007])).maxResponseBytes(1024).build()),
                RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE);
        assertTrue(reject.message().contains("1025") && reject.message().contains("1024"), reject.message());
    }

    @Test
    void chunkedBodyAtTheLimitPassesAndOneByteOverIsCutWhileStreaming() throws Exception {
        // transfer-encoding: chunked is 24 header bytes; the body may have 1000.
        origin.route("/chunked", (req, s) -> {
            int n = Integer.parseInt(req.target().substring(req.target().indexOf('=') + 1));
            s.write(RawOrigin.head(200, List.of(new HttpHeader("transfer-encoding", "chunked"))));
            for (int sent = 0; sent < n; sent += 100) {
                int len = Math.min(100, n - sent);
                s.write(Integer.toHexString(len) + "\r\n" + "c".repeat(len) + "\r\n");
            }
            s.write("0\r\n\r\n");
        });
        HttpResponse r = ok(fetch(adapter, get("/chunked?n=1000").maxResponseBytes(1024).build()));
        assertEquals(1000, r.bodySize());
        Reject reject = rejected(fetch(adapter, get("/chunked?n=1001").maxResponseBytes(1024).build()),
                RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE);
        assertEquals("response exceeds max_response_bytes: more than 1024 bytes (headers 24 + body > 1000)", reject.message());
    }

    @Test
    void chunkedOverflowIsCutWhateverTheChunkSizeClaims() throws Exception {
        origin.route("/chunk-huge", (req, s) -> {
            s.write(RawOrigin.head(200, List.of(new HttpHeader("transfer-encoding", "chunked"))));
            s.write("7fffffff\r\n");
            writeForever(s, 0);
        });
        adapter.accounting().resetHighWater();
        Reject reject = rejected(fetch(adapter, get("/chunk-huge").maxResponseBytes(100_000).build()),
                RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE);
        assertTrue(reject.message().contains("more than 100000 bytes"), reject.message());
    }

    @Test
    void maxResponseBytesWithHeadersOnlyAtTheLimitPassesAndOneByteOverFails() throws Exception {
        HttpResponse r = ok(fetch(adapter, get(fixed("/hdr-at", 200, headersTotalling(4, 1024), new byte[0]))
                .maxResponseBytes(1024).build()));
        assertEquals(1024, r.byteSize());
        Reject reject = rejected(fetch(adapter, get(fixed("/hdr-over", 200, headersTotalling(4, 1025), new byte[0]))
                .maxResponseBytes(1024).build()), RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE);
        assertTrue(reject.message().contains("headers alone are 1025 bytes") && reject.message().contains("1024"),
                reject.message());
    }

    @Test
    void lyingContentLengthNeverMakesTheAdapterHoldMore() throws Exception {
        // Claims 3 GB: refused at once, nothing allocated for it.
        origin.route("/claims-huge", (req, s) -> {
            s.write(RawOrigin.head(200, List.of(new HttpHeader("content-length", "3000000000"))));
            writeForever(s, 0);
        });
        Reject huge = rejected(fetch(adapter, get("/claims-huge").build()), RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE);
        assertTrue(huge.message().contains("3000000000") && huge.message().contains("2000000"), huge.message());
        // Claims 10 bytes and sends more: the response is the 10 framed bytes, the rest is not read as body.
        origin.route("/claims-small", (req, s) -> {
            s.write(RawOrigin.head(200, List.of(new HttpHeader("content-length", "10"))));
            s.write("0123456789" + "x".repeat(5000));
        });
        assertEquals("0123456789", text(ok(fetch(adapter, get("/claims-small").build()))));
        // Claims 100 bytes, sends 50 and closes: a truncated response is a protocol error.
        origin.route("/claims-more", (req, s) -> {
            s.write(RawOrigin.head(200, List.of(new HttpHeader("content-length", "100"))));
            s.write("y".repeat(50));
            s.close();
        });
        Reject truncated = rejected(fetch(adapter, get("/claims-more").build()), RejectCode.SYS_FATAL, RejectKind.PROTOCOL_ERROR);
        assertTrue(truncated.message().contains("localhost:" + origin.port()), truncated.message());
    }

    // ---------------------------------------------------------------- compression

    @Test
    void gzipAndDeflateBodiesAreDecompressedAndHeadersKept() throws Exception {
        byte[] plain = "hello compressed world ".repeat(200).getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(plain);
        HttpResponse r = ok(fetch(adapter, get(fixed("/gz", 200, List.of(new HttpHeader("Content-Encoding", "gzip"),
                new HttpHeader("content-length", String.valueOf(gz.length))), gz)).build()));
        assertArrayEquals(plain, r.body());
        assertEquals("Content-Encoding", r.headers().get(0).name());
        byte[] zlib = deflate(plain);
        assertArrayEquals(plain, ok(fetch(adapter, get(fixed("/deflate", 200, List.of(new HttpHeader("content-encoding", "deflate"),
                new HttpHeader("content-length", String.valueOf(zlib.length))), zlib)).build())).body());
        // The decompressed size counts: 4600 plain bytes do not fit in 4000, however small compressed.
        Reject reject = rejected(fetch(adapter, get("/gz").maxResponseBytes(4000).build()), RejectCode.SYS_FATAL,
                RejectKind.RESPONSE_TOO_LARGE);
        assertTrue(reject.message().contains("decompressed body"), reject.message());
    }

    @Test
    void gzipBombIsCutNotExpanded() throws Exception {
        byte[] bomb = gzip(new byte[50_000_000]);
        assertTrue(bomb.length < 100_000, "compressed " + bomb.length);
        String path = fixed("/bomb", 200, List.of(new HttpHeader("content-encoding", "gzip"),
                new HttpHeader("content-length", String.valueOf(bomb.length))), bomb);
        long before = adapter.accounting().current();
        adapter.accounting().resetHighWater();
        Reject reject = rejected(fetch(adapter, get(path).maxResponseBytes(1_000_000).build()), RejectCode.SYS_FATAL,
                RejectKind.RESPONSE_TOO_LARGE);
        assertTrue(reject.message().contains("more than 1000000 bytes"), reject.message());
        long held = adapter.accounting().highWater() - before;
        assertTrue(held <= 1_000_000, "held " + held + " bytes for a 1 MB limit");
    }

    @Test
    void corruptGzipIsAProtocolError() throws Exception {
        byte[] bad = "not gzip at all".getBytes(StandardCharsets.US_ASCII);
        rejected(fetch(adapter, get(fixed("/badgz", 200, List.of(new HttpHeader("content-encoding", "gzip"),
                new HttpHeader("content-length", String.valueOf(bad.length))), bad)).build()),
                RejectCode.SYS_FATAL, RejectKind.PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------------- redirects, malformed, timeouts

    @Test
    void redirectIsReturnedAsIs() throws Exception {
        HttpResponse r = ok(fetch(adapter, get(fixed("/redirect", 303, List.of(new HttpHeader("Location", "/echo"),
                new HttpHeader("content-length", "0")), new byte[0])).build()));
        assertEquals(303, r.status());
        assertEquals(new HttpHeader("Location", "/echo"), r.headers().get(0));
    }

    @Test
    void malformedHttpIsAProtocolError() throws Exception {
        origin.route("/garbage", (req, s) -> s.write("HTTP/1.1 abc nonsense\r\n\r\n"));
        Reject r = rejected(fetch(adapter, get("/garbage").build()), RejectCode.SYS_FATAL, RejectKind.PROTOCOL_ERROR);
        assertTrue(r.message().contains("localhost:" + origin.port()), r.message());
    }

    @Test
    void aServerThatDripsIsCutAtTheDeadline() throws Exception {
        origin.route("/drip", (req, s) -> {
            s.write(RawOrigin.head(200, List.of(new HttpHeader("content-length", "1000000"))));
            long id = origin.vertx().setPeriodic(200, t -> s.write("x"));
            s.closeHandler(v -> origin.vertx().cancelTimer(id));
        });
        try (VertxHttpsAdapter quick = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings()
                .requestTimeoutMillis(1_500).build())) {
            Reject r = rejected(fetch(quick, get("/drip").build()), RejectCode.SYS_FATAL, RejectKind.TIMEOUT);
            assertTrue(r.message().contains("1500 ms") && r.message().contains("localhost:" + origin.port()), r.message());
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        origin.route("/silent", (req, s) -> { });
        try (VertxHttpsAdapter quick = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings()
                .requestTimeoutMillis(1_000).build())) {
            Reject r = rejected(fetch(quick, get("/silent").build()), RejectCode.SYS_FATAL, RejectKind.TIMEOUT);
            assertTrue(r.message().contains("no response yet"), r.message());
        }
    }

    // ---------------------------------------------------------------- connections

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Reject r = rejected(fetch(adapter, OutcallRequest.builder("https://127.0.0.1:" + port + "/").build()),
                RejectCode.SYS_TRANSIENT, RejectKind.UNREACHABLE);
        assertTrue(r.message().contains("127.0.0.1:" + port), r.message());
    }

    @Test
    void unresolvableNameIsADnsError() throws Exception {
        Reject r = rejected(fetch(adapter, OutcallRequest.builder("https://no-such-host.invalid/x").build()),
                RejectCode.SYS_TRANSIENT, RejectKind.DNS_ERROR);
        assertTrue(r.message().contains("no-such-host.invalid"), r.message());
    }

    @Test
    void onlyHttpsIsFetched() throws Exception {
        Reject r = rejected(fetch(adapter, OutcallRequest.builder("http://localhost:" + origin.port() + "/echo").build()),
                RejectCode.SYS_FATAL, RejectKind.INVALID_URL);
        assertTrue(r.message().contains("'http'") && r.message().contains("https"), r.message());
        rejected(fetch(adapter, OutcallRequest.builder("not-a-url").build()), RejectCode.SYS_FATAL, RejectKind.INVALID_URL);
        rejected(fetch(adapter, OutcallRequest.builder("https://[::1/").build()), RejectCode.SYS_FATAL, RejectKind.INVALID_URL);
    }

    // ---------------------------------------------------------------- helpers

    /** Streams zeros until the client goes away (or 64 MiB, so a broken adapter cannot hang the test). */
    private static void writeForever(io.vertx.core.net.NetSocket s, int sent) {
        if (sent >= 64 * 1024 * 1024) {
            s.close();
            return;
        }
        s.write(Buffer.buffer(new byte[16 * 1024])).onSuccess(v -> writeForever(s, sent + 16 * 1024));
    }

    static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out)) {
            d.write(plain);
        }
        return out.toByteArray();
    }

}
