package org.outcalls.api.verify;

import java.util.List;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Limits;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * What a replica signs the hash of (as {@code org.outcalls.consensus.outcall.OutcallCodec} and
 * {@code ContentHash} write it): its transformed response ({@code u8 0, u16 status, headers, bytes
 * body}) or its reject ({@code u8 1, u8 code, string kind, string message}), hashed together with
 * the transform that made it.
 */
final class ContentEncoding {
    private static final int RESPONSE = 0;
    private static final int REJECT = 1;

    private ContentEncoding() {
    }

    static byte[] of(HttpResponse r) {
        CanonicalOutput w = new CanonicalOutput().u8(RESPONSE).u16(r.status());
        writeHeaders(w, r.headers());
        return w.bytes(r.body()).toByteArray();
    }

    static byte[] of(Reject r) {
        return new CanonicalOutput().u8(REJECT).u8(r.code().number()).string(r.kind().wireName()).string(r.message())
                .toByteArray();
    }

    /** @param transform {@code name@version}, or empty when none was applied */
    static String hash(String transform, byte[] content) {
        byte[] body = new CanonicalOutput().string(transform).bytes(content).toByteArray();
        return Hex.of(Hex.sha256(Domains.content(), body));
    }

    static void writeHeaders(CanonicalOutput w, List<HttpHeader> headers) {
        w.u32(headers.size());
        for (HttpHeader h : headers) {
            w.string(h.name()).string(h.value());
        }
    }

    /** The body of a signed response content; fails for a reject or anything that does not decode as replicas decode it. */
    static byte[] responseBody(byte[] content) throws DocumentException {
        CanonicalInput in = new CanonicalInput(content, "share content");
        int kind = in.u8();
        if (kind == RESPONSE) {
            int status = in.u16();
            List<HttpHeader> headers = in.list(Limits.MAX_HEADER_COUNT + 4, "headers", r -> {
                String name = r.string(Limits.MAX_HEADER_NAME_BYTES, "header name");
                String value = r.string(Limits.MAX_HEADER_VALUE_BYTES, "header value");
                try {
                    return new HttpHeader(name, value);
                } catch (IllegalArgumentException e) {
                    throw r.error(r.offset(), e.getMessage());
                }
            });
            byte[] body = in.bytes(Certificate.MAX_CONTENT_BYTES, "body");
            in.expectEnd();
            try {
                return HttpResponse.of(status, headers, body).body();
            } catch (IllegalArgumentException e) {
                throw in.error(in.offset(), "invalid response: " + e.getMessage());
            }
        }
        if (kind == REJECT) {
            int code = in.u8();
            String rejectKind = in.string(64, "reject kind");
            String message = in.string(4 * Reject.MAX_MESSAGE_CHARS, "reject message");
            in.expectEnd();
            try {
                Reject.of(RejectCode.ofNumber(code), RejectKind.ofWireName(rejectKind), message);
            } catch (IllegalArgumentException e) {
                throw in.error(in.offset(), "invalid reject: " + e.getMessage());
            }
            throw in.error(0, "a reject, not a value");
        }
        throw in.error(0, "content kind " + kind + " is neither response (0) nor reject (1)");
    }
}
