package org.outcalls.api.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.OutcallContext;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.TransformSpec;

/** The context digest covers every fact a document shows, and the body only by its SHA-256. */
class SignedContextTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static SignedRequest request(String url, String method, List<HttpHeader> headers, String body,
                                         OptionalLong max, Optional<TransformSpec> transform, String policy) {
        return new SignedRequest(url, method, headers, body, max, transform, policy);
    }

    private static final SignedRequest BASE_REQUEST = request("https://a.example/x", "POST",
            List.of(new HttpHeader("accept", "text/plain")), A, OptionalLong.of(4096),
            Optional.of(TransformSpec.of("json", "/price")), "two-thirds");

    private static SignedContext context(SignedRequest r) {
        return new SignedContext(A, 7, "proxy", r, 100, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, B);
    }

    @Test
    void everyFieldChangesTheDigest() {
        SignedRequest r = BASE_REQUEST;
        List<SignedContext> variants = List.of(
                context(r),
                context(request("https://a.example/y", "POST", r.headers(), A, r.maxResponseBytes(), r.transform(), r.policy())),
                context(request(r.url(), "PUT", r.headers(), A, r.maxResponseBytes(), r.transform(), r.policy())),
                context(request(r.url(), "POST", List.of(new HttpHeader("accept", "text/html")), A, r.maxResponseBytes(),
                        r.transform(), r.policy())),
                context(request(r.url(), "POST", List.of(), A, r.maxResponseBytes(), r.transform(), r.policy())),
                context(request(r.url(), "POST", r.headers(), B, r.maxResponseBytes(), r.transform(), r.policy())),
                context(request(r.url(), "POST", r.headers(), A, OptionalLong.empty(), r.transform(), r.policy())),
                context(request(r.url(), "POST", r.headers(), A, OptionalLong.of(4097), r.transform(), r.policy())),
                context(request(r.url(), "POST", r.headers(), A, r.maxResponseBytes(), Optional.empty(), r.policy())),
                context(request(r.url(), "POST", r.headers(), A, r.maxResponseBytes(),
                        Optional.of(TransformSpec.of("json", "/usd")), r.policy())),
                context(request(r.url(), "POST", r.headers(), A, r.maxResponseBytes(),
                        Optional.of(TransformSpec.of("number", "/price")), r.policy())),
                context(request(r.url(), "POST", r.headers(), A, r.maxResponseBytes(), r.transform(), "median")),
                new SignedContext(B, 7, "proxy", r, 100, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, B),
                new SignedContext(A, 8, "proxy", r, 100, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, B),
                new SignedContext(A, 7, "price-feed", r, 100, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, B),
                new SignedContext(A, 7, "proxy", r, 101, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, B),
                new SignedContext(A, 7, "proxy", r, 100, 91, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, B),
                new SignedContext(A, 7, "proxy", r, 100, 90, 1_001, "two-thirds", "0.1.0", "0.1.0", 3, B),
                new SignedContext(A, 7, "proxy", r, 100, 90, 1_000, "median", "0.1.0", "0.1.0", 3, B),
                new SignedContext(A, 7, "proxy", r, 100, 90, 1_000, "two-thirds", "0.1.1", "0.1.0", 3, B),
                new SignedContext(A, 7, "proxy", r, 100, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 4, B),
                new SignedContext(A, 7, "proxy", r, 100, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, A),
                new SignedContext(A, 7, "proxy", r, 100, 90, 1_000, "two-thirds", "0.1.0", "0.2.0", 3, B));
        Set<String> digests = new HashSet<>();
        variants.forEach(c -> digests.add(c.digestHex()));
        assertEquals(variants.size(), digests.size(), "every variant has its own digest");
    }

    @Test
    void aCanistersContextIsShownWithTheBodysHash() {
        byte[] body = "amount=5".getBytes(StandardCharsets.UTF_8);
        OutcallRequest request = OutcallRequest.builder("https://a.example/x").method(HttpMethod.POST).body(body)
                .header("accept", "text/plain").maxResponseBytes(4096).transform(TransformSpec.of("json", "/price")).build();
        SignedContext c = SignedContext.of(new OutcallContext(A, 7, "proxy", request, 100, 90, 1_000, "0.1.0", "0.1.0", 3, B));
        assertEquals(Hex.of(Hex.sha256(body)), c.request().bodySha256());
        assertEquals("two-thirds@0.1.0", c.policy());
        assertEquals(context(BASE_REQUEST).request().headers(), c.request().headers());
    }

    @Test
    void hashesAreLowerCaseHex() {
        assertThrows(IllegalArgumentException.class, () -> new SignedContext(A.toUpperCase(), 7, "proxy", BASE_REQUEST,
                100, 90, 1_000, "two-thirds", "0.1.0", "0.1.0", 3, B));
        assertThrows(IllegalArgumentException.class, () -> request("u", "GET", List.of(), "abc", OptionalLong.empty(),
                Optional.empty(), "two-thirds"));
    }
}
