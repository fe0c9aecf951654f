package org.outcalls.consensus.outcall;

import java.util.List;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.TransformSpec;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;

/**
 * Canonical binary forms of outcall requests, responses and rejects: what is hashed and signed.
 * Every decoder bounds every length by the limits of DESIGN.md, so a peer cannot make a replica
 * allocate more than a valid outcall needs.
 */
public final class OutcallCodec {
    static final int RESPONSE = 0;
    static final int REJECT = 1;
    /** Header bytes plus body of the largest valid response, plus the length prefixes of 64 headers. */
    public static final int MAX_CONTENT_BYTES = (int) Limits.MAX_RESPONSE_BYTES + 16 * 1024;

    private OutcallCodec() {
    }

    public static void writeRequest(CanonicalWriter w, OutcallRequest r) {
        w.string(r.url());
        w.string(r.method().name());
        writeHeaders(w, r.headers());
        w.bytes(r.body());
        w.bool(r.maxResponseBytes().isPresent());
        w.i64(r.maxResponseBytes().orElse(0));
        w.bool(r.transform().isPresent());
        w.string(r.transform().map(TransformSpec::name).orElse(""));
        w.bytes(r.transform().map(TransformSpec::context).orElse(new byte[0]));
        w.string(r.policy());
    }

    public static OutcallRequest readRequest(CanonicalReader in) throws DecodeException {
        String url = in.string(4 * Limits.MAX_URL_BYTES, "url");
        String method = in.string(16, "method");
        List<HttpHeader> headers = readHeaders(in);
        byte[] body = in.bytes((int) Limits.MAX_REQUEST_BYTES, "body");
        boolean hasMax = in.bool();
        long max = in.i64(0, Long.MAX_VALUE, "max_response_bytes");
        boolean hasTransform = in.bool();
        String transformName = in.string(256, "transform name");
        byte[] transformContext = in.bytes((int) Limits.MAX_REQUEST_BYTES, "transform context");
        String policy = in.string(256, "policy");
        try {
            OutcallRequest.Builder b = OutcallRequest.builder(url).method(HttpMethod.parse(method)).body(body).policy(policy);
            headers.forEach(b::header);
            if (hasMax) {
                b.maxResponseBytes(max);
            }
            if (hasTransform) {
                b.transform(TransformSpec.of(transformName, transformContext));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new DecodeException(in.offset(), "invalid request: " + e.getMessage());
        }
    }

    /** The content a replica signs: its transformed response. */
    public static byte[] encode(HttpResponse r) {
        CanonicalWriter w = new CanonicalWriter(r.bodySize() + 256);
        w.u8(RESPONSE);
        w.u16(r.status());
        writeHeaders(w, r.headers());
        w.bytes(r.body());
        return w.toByteArray();
    }

    /** The content a replica signs when its fetch or transform failed. */
    public static byte[] encode(Reject r) {
        CanonicalWriter w = new CanonicalWriter(r.message().length() + 32);
        w.u8(REJECT);
        w.u8(r.code().number());
        w.string(r.kind().wireName());
        w.string(r.message());
        return w.toByteArray();
    }

    /** Exactly one of a response or a reject. */
    public record Content(HttpResponse response, Reject reject) {
        public boolean isReject() {
            return reject != null;
        }
    }

    public static Content decode(byte[] content) throws DecodeException {
        CanonicalReader in = new CanonicalReader(content);
        int kind = in.u8();
        Content c;
        if (kind == RESPONSE) {
            int status = in.u16();
            List<HttpHeader> headers = readHeaders(in);
            byte[] body = in.bytes(MAX_CONTENT_BYTES, "body");
            try {
                c = new Content(HttpResponse.of(status, headers, body), null);
            } catch (IllegalArgumentException e) {
                throw new DecodeException(in.offset(), "invalid response: " + e.getMessage());
            }
        } else if (kind == REJECT) {
            int code = in.u8();
            String rejectKind = in.string(64, "reject kind");
            String message = in.string(4 * Reject.MAX_MESSAGE_CHARS, "reject message");
            try {
                c = new Content(null, Reject.of(RejectCode.ofNumber(code), RejectKind.ofWireName(rejectKind), message));
            } catch (IllegalArgumentException e) {
                throw new DecodeException(in.offset(), "invalid reject: " + e.getMessage());
            }
        } else {
            throw new DecodeException(0, "content kind " + kind + " is neither response (0) nor reject (1)");
        }
        in.expectEnd();
        return c;
    }

    private static void writeHeaders(CanonicalWriter w, List<HttpHeader> headers) {
        w.list(headers, (hw, h) -> hw.string(h.name()).string(h.value()));
    }

    private static List<HttpHeader> readHeaders(CanonicalReader in) throws DecodeException {
        // Responses may carry at most 64 headers; a little slack keeps the decoder total for any valid input.
        return in.list(Limits.MAX_HEADER_COUNT + 4, "headers", r -> {
            String name = r.string(Limits.MAX_HEADER_NAME_BYTES, "header name");
            String value = r.string(Limits.MAX_HEADER_VALUE_BYTES, "header value");
            try {
                return new HttpHeader(name, value);
            } catch (IllegalArgumentException e) {
                throw new DecodeException(r.offset(), e.getMessage());
            }
        });
    }
}
