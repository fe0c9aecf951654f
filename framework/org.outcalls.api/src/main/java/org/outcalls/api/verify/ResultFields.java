package org.outcalls.api.verify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Cycles;
import org.outcalls.api.Decimals;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.TransformSpec;

/** Reads the parts of a result document (docs/result-document.md), each error naming its field. */
final class ResultFields {
    private ResultFields() {
    }

    static SignedRequest request(JsonObject r) throws DocumentException {
        String method = r.text("method");
        if (Arrays.stream(HttpMethod.values()).noneMatch(m -> m.name().equals(method))) {
            throw new DocumentException(r.path("method"), "must be one of " + Arrays.toString(HttpMethod.values())
                    + ", got \"" + Hex.shorten(method) + "\"");
        }
        OptionalLong max = r.optionalWhole("max_response_bytes").map(OptionalLong::of).orElse(OptionalLong.empty());
        Optional<TransformSpec> transform = Optional.empty();
        if (r.has("transform")) {
            JsonObject t = r.object("transform");
            String name = t.text("name");
            byte[] context = t.has("context") ? t.base64("context") : new byte[0];
            try {
                transform = Optional.of(TransformSpec.of(name, context));
            } catch (IllegalArgumentException e) {
                throw new DocumentException(t.path("name"), e.getMessage());
            }
        }
        return new SignedRequest(r.text("url"), method, headers(r), r.hash("body_sha256"), max, transform, r.text("policy"));
    }

    static SignedContext context(JsonObject c, SignedRequest request) throws DocumentException {
        return new SignedContext(c.hash("subnet_id"), c.whole("callback_id"), c.text("canister_id"), request,
                c.whole("attached_cycles"), c.whole("fee"), c.whole("request_time"), request.policy(),
                c.text("policy_version"), c.text("transform_version"), c.whole("registry_version"), c.hash("seed"));
    }

    static HttpResponse response(JsonObject r) throws DocumentException {
        int status = (int) r.whole("status", 100, 999);
        return HttpResponse.of(status, headers(r), r.has("body") ? r.base64("body") : new byte[0]);
    }

    static AggregateValue value(JsonObject v) throws DocumentException {
        BigDecimal median = decimal(v, "median");
        long count = v.whole("count", 1, Integer.MAX_VALUE);
        try {
            return new AggregateValue(median, (int) count, decimal(v, "min"), decimal(v, "max"));
        } catch (IllegalArgumentException e) {
            throw new DocumentException(v.path("median"), e.getMessage());
        }
    }

    static Reject reject(JsonObject r) throws DocumentException {
        RejectCode code;
        try {
            code = RejectCode.valueOf(r.text("code"));
        } catch (IllegalArgumentException e) {
            throw new DocumentException(r.path("code"), "must be one of " + Arrays.toString(RejectCode.values()));
        }
        RejectKind kind;
        try {
            kind = RejectKind.ofWireName(r.text("kind"));
        } catch (IllegalArgumentException e) {
            throw new DocumentException(r.path("kind"), e.getMessage());
        }
        try {
            return Reject.of(code, kind, r.text("message"));
        } catch (IllegalArgumentException e) {
            throw new DocumentException(r.path("message"), e.getMessage());
        }
    }

    static Cycles cycles(JsonObject c) throws DocumentException {
        try {
            return new Cycles(c.whole("attached"), c.whole("charged"), c.whole("refunded"));
        } catch (IllegalArgumentException e) {
            throw new DocumentException(c.path("refunded"), e.getMessage());
        }
    }

    private static List<HttpHeader> headers(JsonObject o) throws DocumentException {
        List<HttpHeader> out = new ArrayList<>();
        for (JsonObject h : o.objects("headers")) {
            try {
                out.add(new HttpHeader(h.text("name"), h.text("value")));
            } catch (IllegalArgumentException e) {
                throw new DocumentException(h.path("name"), e.getMessage());
            }
        }
        return out;
    }

    private static BigDecimal decimal(JsonObject o, String name) throws DocumentException {
        try {
            return Decimals.parse(o.text(name), name);
        } catch (IllegalArgumentException e) {
            throw new DocumentException(o.path(name), e.getMessage());
        }
    }
}
