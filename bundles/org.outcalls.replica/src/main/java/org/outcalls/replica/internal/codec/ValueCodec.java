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
import org.outcalls.replica.OutcallDelivery;
import org.outcalls.replica.RequestContext;

/** Canonical encodings of the API's value types as they appear in replicated state and blocks. */
public final class ValueCodec {
    public static final String CONTEXT_DOMAIN = "outcalls/request-context/v1";
    public static final String DELIVERY_DOMAIN = "outcalls/outcall-delivery/v1";
    /** Generous decode bounds: what is stored was checked against the (smaller) limits when it was made. */
    private static final int MAX_TEXT = 1 << 20;
    private static final int MAX_BLOB = 8 << 20;
    private static final int MAX_HEADERS = 4096;

    private ValueCodec() {
    }

    public static void writeRequest(CanonicalOutput out, OutcallRequest r) {
        out.string(r.url()).string(r.method().name());
        writeHeaders(out, r.headers());
        out.bytes(r.body());
        out.bool(r.maxResponseBytes().isPresent());
        r.maxResponseBytes().ifPresent(out::i64);
        out.bool(r.transform().isPresent());
        r.transform().ifPresent(t -> out.string(t.name()).bytes(t.context()));
        out.string(r.policy());
    }

    public static OutcallRequest readRequest(CanonicalInput in) {
        try {
            OutcallRequest.Builder b = OutcallRequest.builder(in.string("request.url", MAX_TEXT))
                    .method(HttpMethod.parse(in.string("request.method", 16)));
            readHeaders(in, "request.headers").forEach(b::header);
            b.body(in.bytes("request.body", MAX_BLOB));
            if (in.bool("request.max_response_bytes?")) {
                b.maxResponseBytes(in.i64("request.max_response_bytes"));
            }
            if (in.bool("request.transform?")) {
                b.transform(TransformSpec.of(in.string("request.transform.name", MAX_TEXT),
                        in.bytes("request.transform.context", MAX_BLOB)));
            }
            b.policy(in.string("request.policy", MAX_TEXT));
            return b.build();
        } catch (MalformedInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(e.getMessage());
        }
    }

    public static void writeResponse(CanonicalOutput out, HttpResponse r) {
        out.i32(r.status());
        writeHeaders(out, r.headers());
        out.bytes(r.body());
    }

    public static HttpResponse readResponse(CanonicalInput in) {
        try {
            int status = in.i32("response.status");
            List<HttpHeader> headers = readHeaders(in, "response.headers");
            return HttpResponse.of(status, headers, in.bytes("response.body", MAX_BLOB));
        } catch (MalformedInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(e.getMessage());
        }
    }

    public static void writeReject(CanonicalOutput out, Reject r) {
        out.u8(r.code().number()).string(r.kind().wireName()).string(r.message());
    }

    public static Reject readReject(CanonicalInput in) {
        try {
            RejectCode code = RejectCode.ofNumber(in.u8("reject.code"));
            RejectKind kind = RejectKind.ofWireName(in.string("reject.kind", 256));
            String message = in.string("reject.message", 4 * Reject.MAX_MESSAGE_CHARS);
            Reject r = Reject.of(code, kind, message);
            if (!r.message().equals(message)) {
                throw new MalformedInputException("reject.message: longer than " + Reject.MAX_MESSAGE_CHARS + " characters");
            }
            return r;
        } catch (MalformedInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(e.getMessage());
        }
    }

    public static void writeValue(CanonicalOutput out, AggregateValue v) {
        out.string(v.value().toString()).i32(v.count()).string(v.min().toString()).string(v.max().toString());
    }

    public static AggregateValue readValue(CanonicalInput in) {
        try {
            BigDecimal value = decimal(in, "value.value");
            int count = in.i32("value.count");
            return new AggregateValue(value, count, decimal(in, "value.min"), decimal(in, "value.max"));
        } catch (MalformedInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(e.getMessage());
        }
    }

    public static byte[] encodeContext(RequestContext c) {
        CanonicalOutput out = new CanonicalOutput(c.request().bodySize() + 512);
        out.domain(CONTEXT_DOMAIN).i64(c.callbackId()).string(c.canisterId());
        writeRequest(out, c.request());
        out.i64(c.requestTime()).i64(c.height()).bytes(c.blockHash()).string(c.policy()).string(c.policyVersion())
                .i64(c.registryVersion()).i64(c.attachedCycles()).i64(c.chargedCycles()).string(c.messageId())
                .string(c.caller());
        return out.toByteArray();
    }

    public static RequestContext decodeContext(byte[] bytes) {
        CanonicalInput in = new CanonicalInput(bytes);
        in.domain(CONTEXT_DOMAIN);
        long callbackId = in.i64("context.callback_id");
        String canisterId = in.string("context.canister_id", 256);
        OutcallRequest request = readRequest(in);
        long requestTime = in.i64("context.request_time");
        long height = in.i64("context.height");
        byte[] blockHash = in.bytes("context.block_hash", 64);
        String policy = in.string("context.policy", 512);
        String policyVersion = in.string("context.policy_version", 256);
        long registryVersion = in.i64("context.registry_version");
        long attached = in.i64("context.attached_cycles");
        long charged = in.i64("context.charged_cycles");
        String messageId = in.string("context.message_id", 256);
        String caller = in.string("context.caller", 256);
        in.end();
        try {
            return new RequestContext(callbackId, canisterId, request, requestTime, height, blockHash, policy,
                    policyVersion, registryVersion, attached, charged, messageId, caller);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(e.getMessage());
        }
    }

    public static byte[] encodeDelivery(OutcallDelivery d) {
        CanonicalOutput out = new CanonicalOutput();
        out.domain(DELIVERY_DOMAIN).i64(d.callbackId());
        if (d.response().isPresent()) {
            writeResponse(out.u8(0), d.response().get());
        } else if (d.value().isPresent()) {
            writeValue(out.u8(1), d.value().get());
        } else {
            writeReject(out.u8(2), d.reject().orElseThrow());
        }
        out.bytes(d.certificate());
        return out.toByteArray();
    }

    public static OutcallDelivery decodeDelivery(byte[] bytes) {
        CanonicalInput in = new CanonicalInput(bytes);
        in.domain(DELIVERY_DOMAIN);
        long callbackId = in.i64("delivery.callback_id");
        if (callbackId < 0) {
            throw new MalformedInputException("delivery.callback_id: must not be negative");
        }
        int kind = in.u8("delivery.kind");
        OutcallDelivery d;
        switch (kind) {
            case 0 -> {
                HttpResponse r = readResponse(in);
                d = OutcallDelivery.response(callbackId, r, in.bytes("delivery.certificate", MAX_BLOB));
            }
            case 1 -> {
                AggregateValue v = readValue(in);
                d = OutcallDelivery.value(callbackId, v, in.bytes("delivery.certificate", MAX_BLOB));
            }
            case 2 -> {
                Reject r = readReject(in);
                d = OutcallDelivery.reject(callbackId, r, in.bytes("delivery.certificate", MAX_BLOB));
            }
            default -> throw new MalformedInputException("delivery.kind: " + kind + " is not 0 (response), 1 (value)"
                    + " or 2 (reject)");
        }
        in.end();
        return d;
    }

    private static void writeHeaders(CanonicalOutput out, List<HttpHeader> headers) {
        out.i32(headers.size());
        for (HttpHeader h : headers) {
            out.string(h.name()).string(h.value());
        }
    }

    private static List<HttpHeader> readHeaders(CanonicalInput in, String field) {
        int n = in.length(field, MAX_HEADERS);
        List<HttpHeader> headers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            headers.add(new HttpHeader(in.string(field + ".name", MAX_TEXT), in.string(field + ".value", MAX_TEXT)));
        }
        return headers;
    }

    private static BigDecimal decimal(CanonicalInput in, String field) {
        String s = in.string(field, 4096);
        BigDecimal d;
        try {
            d = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new MalformedInputException(field + ": '" + s + "' is not a decimal number");
        }
        if (!d.toString().equals(s)) {
            throw new MalformedInputException(field + ": '" + s + "' is not in canonical form");
        }
        return d;
    }
}
