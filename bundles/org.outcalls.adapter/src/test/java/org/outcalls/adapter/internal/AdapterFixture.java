package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.outcalls.adapter.FetchResult;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.testkit.origin.TestPki;

/** Shared test set-up: one Vert.x, one test CA (as a PEM file), adapters built from settings. */
final class AdapterFixture {
    static final TestPki PKI = TestPki.create("adapter-test-ca");
    private static Path caPem;

    private AdapterFixture() {
    }

    static synchronized Path caPem() throws Exception {
        if (caPem == null) {
            Path dir = Files.createTempDirectory("adapter-test");
            caPem = PKI.writeCaPem(dir.resolve("ca.pem"));
        }
        return caPem;
    }

    /** Settings that trust the test CA and allow loopback, with short timeouts for tests. */
    static AdapterSettings.Builder testSettings() throws Exception {
        return AdapterSettings.builder().trustCa(caPem()).allowTarget("127.0.0.0/8").allowTarget("::1")
                .requestTimeoutMillis(5_000);
    }

    static FetchResult fetch(VertxHttpsAdapter adapter, OutcallRequest request) throws Exception {
        return adapter.fetch(request).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static HttpResponse ok(FetchResult result) {
        assertTrue(result.isResponse(), () -> "expected a response, got " + result);
        HttpResponse r = result.response().orElseThrow();
        return r;
    }

    static Reject rejected(FetchResult result, RejectCode code, RejectKind kind) {
        assertTrue(result.reject().isPresent(), () -> "expected a reject " + code + "/" + kind + ", got " + result);
        Reject r = result.reject().orElseThrow();
        assertEquals(code, r.code(), () -> "code of " + r);
        assertEquals(kind, r.kind(), () -> "kind of " + r);
        return r;
    }

    static String text(HttpResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /**
     * {@code count} headers whose names and values add up to exactly {@code totalBytes}, the first
     * being {@code content-length: 0} (so a raw response is complete), names {@code h0001}...
     */
    static List<HttpHeader> headersTotalling(int count, int totalBytes) {
        List<HttpHeader> out = new ArrayList<>();
        out.add(new HttpHeader("content-length", "0"));
        int fillers = count - 1;
        int valueBytes = totalBytes - 15 - fillers * 5;
        for (int i = 0; i < fillers; i++) {
            int v = valueBytes / fillers + (i < valueBytes % fillers ? 1 : 0);
            out.add(new HttpHeader(String.format("h%04d", i), "a".repeat(v)));
        }
        return out;
    }

    static Vertx newVertx() {
        return Vertx.vertx();
    }
}
