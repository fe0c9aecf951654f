package org.outcalls.replica.internal.codec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.TransformSpec;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.OutcallDelivery;
import org.outcalls.replica.RequestContext;

/** Canonical encodings of the API's value types as they appear in replicated state and blocks. */
public final class ValueCodec {
    /** Generous decode bounds: what is stored was checked against the (smaller) limits when it was made. */
    private static final int MAX_TEXT = 1 << 20;
    private static final int MAX_BLOB = 8 << 20;
    private static final int MAX_HEADERS = 4096;

    private ValueCodec() {
    }

    /** The canonical request encoding shares sign (one encoding for state and for signatures). */
    public static void writeRequest(CanonicalWriter w, OutcallRequest r) {
        org.outcalls.consensus.outcall.OutcallCodec.writeRequest(w, r);
    }

    public static OutcallRequest readRequest(CanonicalReader in) throws DecodeException {
        return org.outcalls.consensus.outcall.OutcallCodec.readRequest(in);
    }

    public static void writeResponse(CanonicalWriter w, HttpResponse r) {
        w.i32(r.status());
        writeHeaders(w, r.headers());
        w.bytes(r.body());
    }

    public static HttpResponse readResponse(CanonicalReader in) throws DecodeException {
        int at = in.offset();
        int status = in.i32();
        List<String[]> headers = readHeaders(in, "response header");
        byte[] body = in.bytes(MAX_BLOB, "response body");
        try {
            List<HttpHeader> h = new ArrayList<>(headers.size());
            for (String[] nv : headers) {
                h.add(new HttpHeader(nv[0], nv[1]));
            }
            return HttpResponse.of(status, h, body);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(at, "response: " + e.getMessage());
        }
    }

    public static void writeReject(CanonicalWriter w, Reject r) {
        w.u8(r.code().number()).string(r.kind().wireName()).string(r.message());
    }

    public static Reject readReject(CanonicalReader in) throws DecodeException {
        int at = in.offset();
        int code = in.u8();
        String kind = in.string(256, "reject kind");
        String message = in.string(4 * Reject.MAX_MESSAGE_CHARS, "reject message");
        Reject r;
        try {
            r = Reject.of(RejectCode.ofNumber(code), RejectKind.ofWireName(kind), message);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(at, "reject: " + e.getMessage());
        }
        if (!r.message().equals(message)) {
            throw new DecodeException(at, "reject message: longer than " + Reject.MAX_MESSAGE_CHARS + " characters");
        }
        return r;
    }

    public static void writeValue(CanonicalWriter w, AggregateValue v) {
        w.string(v.value().toString()).i32(v.count()).string(v.min().toString()).string(v.max().toString());
    }

    public static AggregateValue readValue(CanonicalReader in) throws DecodeException {
        int at = in.offset();
        BigDecimal value = decimal(in, "value");
        int count = in.i32();
        BigDecimal min = decimal(in, "min");
        BigDecimal max = decimal(in, "max");
        try {
            return new AggregateValue(value, count, min, max);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(at, "aggregate value: " + e.getMessage());
        }
    }

    public static byte[] encodeContext(RequestContext c) {
        CanonicalWriter w = new CanonicalWriter(c.request().bodySize() + 512);
        w.i64(c.callbackId()).string(c.canisterId());
        writeRequest(w, c.request());
        w.i64(c.requestTime()).i64(c.height()).bytes(c.blockHash()).string(c.policy()).string(c.policyVersion())
                .string(c.transformVersion()).i64(c.registryVersion()).i64(c.attachedCycles()).i64(c.chargedCycles()).string(c.messageId())
                .string(c.caller());
        return w.toByteArray();
    }

    public static RequestContext decodeContext(byte[] bytes) throws DecodeException {
        CanonicalReader in = new CanonicalReader(bytes);
        long callbackId = in.i64(0, Long.MAX_VALUE, "callback id");
        String canisterId = in.string(256, "canister id");
        OutcallRequest request = readRequest(in);
        long requestTime = in.i64();
        long height = in.i64();
        byte[] blockHash = in.bytes(64, "block hash");
        String policy = in.string(512, "policy");
        String policyVersion = in.string(256, "policy version");
        String transformVersion = in.string(256, "transform version");
        long registryVersion = in.i64();
        long attached = in.i64();
        long charged = in.i64();
        String messageId = in.string(256, "message id");
        String caller = in.string(256, "caller");
        in.expectEnd();
        try {
            return new RequestContext(callbackId, canisterId, request, requestTime, height, blockHash, policy,
                    policyVersion, transformVersion, registryVersion, attached, charged, messageId, caller);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(0, "request context: " + e.getMessage());
        }
    }

    /** A delivery's canonical encoding: callback id, kind (0 response, 1 value, 2 reject), the value, the certificate. */
    public static void writeDelivery(CanonicalWriter w, OutcallDelivery d) {
        w.i64(d.callbackId());
        if (d.response().isPresent()) {
            writeResponse(w.u8(0), d.response().get());
        } else if (d.value().isPresent()) {
            writeValue(w.u8(1), d.value().get());
        } else {
            writeReject(w.u8(2), d.reject().orElseThrow());
        }
        w.bytes(d.certificate());
    }

    public static OutcallDelivery readDelivery(CanonicalReader in) throws DecodeException {
        long callbackId = in.i64(0, Long.MAX_VALUE, "callback id");
        int at = in.offset();
        int kind = in.u8();
        return switch (kind) {
            case 0 -> {
                HttpResponse r = readResponse(in);
                yield OutcallDelivery.response(callbackId, r, in.bytes(MAX_BLOB, "certificate"));
            }
            case 1 -> {
                AggregateValue v = readValue(in);
                yield OutcallDelivery.value(callbackId, v, in.bytes(MAX_BLOB, "certificate"));
            }
            case 2 -> {
                Reject r = readReject(in);
                yield OutcallDelivery.reject(callbackId, r, in.bytes(MAX_BLOB, "certificate"));
            }
            default -> throw new DecodeException(at, "delivery kind " + kind
                    + " is not 0 (response), 1 (value) or 2 (reject)");
        };
    }

    private static void writeHeaders(CanonicalWriter w, List<HttpHeader> headers) {
        w.u32(headers.size());
        for (HttpHeader h : headers) {
            w.string(h.name()).string(h.value());
        }
    }

    private static List<String[]> readHeaders(CanonicalReader in, String what) throws DecodeException {
        int n = in.u32(MAX_HEADERS, what + " count");
        List<String[]> headers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            headers.add(new String[] {in.string(MAX_TEXT, what + " name"), in.string(MAX_TEXT, what + " value")});
        }
        return headers;
    }

    private static BigDecimal decimal(CanonicalReader in, String what) throws DecodeException {
        int at = in.offset();
        String s = in.string(4096, what);
        BigDecimal d;
        try {
            d = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new DecodeException(at, what + ": '" + s + "' is not a decimal number");
        }
        if (!d.toString().equals(s)) {
            throw new DecodeException(at, what + ": '" + s + "' is not in canonical form");
        }
        return d;
    }
}
