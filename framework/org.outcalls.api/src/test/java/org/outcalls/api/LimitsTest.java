package org.outcalls.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitsTest {

    private static OutcallRequest.Builder base() {
        return OutcallRequest.builder("https://example.com/");
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    private static void assertRejected(OutcallRequest r, RejectKind kind, String fragment) {
        Optional<Reject> reject = Limits.checkRequest(r);
        assertTrue(reject.isPresent(), "expected a reject for " + r);
        assertEquals(RejectCode.CANISTER_REJECT, reject.get().code());
        assertEquals(kind, reject.get().kind());
        assertTrue(reject.get().message().contains(fragment), reject.get().message());
    }

    @Test
    void urlAtLimitPassesAndOneByteOverIsRejected() {
        String prefix = "https://example.com/";
        String atLimit = prefix + repeat('a', Limits.MAX_URL_BYTES - prefix.length());
        assertEquals(Optional.empty(), Limits.checkRequest(OutcallRequest.builder(atLimit).build()));
        assertRejected(OutcallRequest.builder(atLimit + "a").build(), RejectKind.INVALID_URL, "8193 bytes");
    }

    @Test
    void urlLengthCountsUtf8Bytes() {
        String prefix = "https://example.com/";
        // 'é' is two bytes in UTF-8: half as many characters reach the same byte count.
        int room = Limits.MAX_URL_BYTES - prefix.length();
        String url = prefix + repeat('é', room / 2) + (room % 2 == 1 ? "a" : "");
        assertEquals(Optional.empty(), Limits.checkRequest(OutcallRequest.builder(url).build()));
        assertRejected(OutcallRequest.builder(url + "é").build(), RejectKind.INVALID_URL, "bytes");
    }

    @Test
    void headerCountAtLimitPassesAndOneMoreIsRejected() {
        OutcallRequest.Builder b = base();
        for (int i = 0; i < Limits.MAX_HEADER_COUNT; i++) {
            b.header("h" + i, "v");
        }
        assertEquals(Optional.empty(), Limits.checkRequest(b.build()));
        b.header("one-more", "v");
        assertRejected(b.build(), RejectKind.HEADER_LIMIT, "65 headers");
    }

    @Test
    void headerNameAndValueBounds() {
        assertEquals(Optional.empty(), Limits.checkRequest(base().header(repeat('n', 8192), "v").build()));
        assertRejected(base().header(repeat('n', 8193), "v").build(), RejectKind.HEADER_LIMIT, "8193 bytes");
        assertEquals(Optional.empty(), Limits.checkRequest(base().header("n", repeat('v', 8192)).build()));
        assertRejected(base().header("n", repeat('v', 8193)).build(), RejectKind.HEADER_LIMIT, "8193 bytes");
    }

    @Test
    void headerTotalCountsNamesAndValues() {
        // six headers of 8 KiB exactly (1-byte name + 8191-byte value) make 48 KiB.
        OutcallRequest.Builder b = base();
        for (int i = 0; i < 6; i++) {
            b.header(String.valueOf(i), repeat('v', 8191));
        }
        assertEquals(Optional.empty(), Limits.checkRequest(b.build()));
        b.header("x", "");
        assertRejected(b.build(), RejectKind.HEADER_LIMIT, "49153 bytes");
    }

    @Test
    void requestSizeIsHeadersPlusBody() {
        byte[] body = new byte[(int) Limits.MAX_REQUEST_BYTES - 2];
        assertEquals(Optional.empty(), Limits.checkRequest(base().header("a", "b").body(body).build()));
        assertRejected(base().header("a", "bc").body(body).build(), RejectKind.REQUEST_TOO_LARGE, "2000001 bytes");
    }

    @Test
    void maxResponseBytesBound() {
        assertEquals(Optional.empty(), Limits.checkRequest(base().maxResponseBytes(2_000_000).build()));
        assertRejected(base().maxResponseBytes(2_000_001).build(), RejectKind.INVALID_ARGUMENT, "2000001");
    }

    @Test
    void requestBytesForFeeCountsUrlHeadersBodyAndTransform() {
        OutcallRequest r = OutcallRequest.builder("https://a.b/")
                .header("k", "vv")
                .body(new byte[10])
                .transform(TransformSpec.of("json", "/x"))
                .build();
        assertEquals(12 + 3 + 10 + 4 + 2, Limits.requestBytesForFee(r));
        assertEquals(12, Limits.requestBytesForFee(OutcallRequest.builder("https://a.b/").build()));
    }
}
