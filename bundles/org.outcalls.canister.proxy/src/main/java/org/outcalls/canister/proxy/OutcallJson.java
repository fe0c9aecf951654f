package org.outcalls.canister.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Cycles;
import org.outcalls.api.Decimals;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallContext;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.verify.SignedRequest;

/**
 * JSON for outcall requests and results, as DESIGN.md's REST interface defines them. Parsing is
 * strict (unknown or duplicate fields, wrong types and bad base64 are errors naming the field) and
 * deterministic, so the same bytes parse the same way on every replica.
 */
public final class OutcallJson {
    /** Largest request document accepted: the largest valid outcall (2 MB of headers and body, base64) plus room. */
    public static final int MAX_REQUEST_JSON_BYTES = 3 * 1024 * 1024;

    private static final Set<String> REQUEST_FIELDS = Set.of("url", "method", "headers", "body",
            "max_response_bytes", "transform", "policy", "cycles");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(MAX_REQUEST_JSON_BYTES).maxNumberLength(32).build());
    }

    private OutcallJson() {
    }

    /** Parses a request document (the body of {@code POST /api/v1/outcalls}). */
    public static ProxyCall parseRequest(byte[] json) throws RequestJsonException {
        if (json.length > MAX_REQUEST_JSON_BYTES) {
            throw new RequestJsonException("body", "request document is " + json.length + " bytes; at most "
                    + MAX_REQUEST_JSON_BYTES + " are accepted");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RequestJsonException("body", "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at offset " + e.getLocation().getCharOffset()));
        } catch (IOException e) {
            throw new RequestJsonException("body", "unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RequestJsonException("body", "must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!REQUEST_FIELDS.contains(name)) {
                throw new RequestJsonException(name, "unknown field; expected one of " + sorted(REQUEST_FIELDS));
            }
        }
        String url = requiredText(root, "url");
        OutcallRequest.Builder b;
        try {
            b = OutcallRequest.builder(url);
            if (root.has("method")) {
                b.method(HttpMethod.parse(requiredText(root, "method")));
            }
        } catch (IllegalArgumentException e) {
            throw fieldError(e);
        }
        parseHeaders(root, b);
        if (root.has("body") && !root.get("body").isNull()) {
            b.body(base64(root.get("body"), "body"));
        }
        if (root.has("max_response_bytes") && !root.get("max_response_bytes").isNull()) {
            b.maxResponseBytes(nonNegativeLong(root.get("max_response_bytes"), "max_response_bytes"));
        }
        if (root.has("transform") && !root.get("transform").isNull()) {
            b.transform(parseTransform(root.get("transform")));
        }
        if (root.has("policy") && !root.get("policy").isNull()) {
            try {
                b.policy(requiredText(root, "policy"));
            } catch (IllegalArgumentException e) {
                throw fieldError(e);
            }
        }
        OptionalLong cycles = OptionalLong.empty();
        if (root.has("cycles") && !root.get("cycles").isNull()) {
            cycles = OptionalLong.of(nonNegativeLong(root.get("cycles"), "cycles"));
        }
        try {
            return new ProxyCall(b.build(), cycles);
        } catch (IllegalArgumentException e) {
            throw fieldError(e);
        }
    }

    /**
     * The proxy canister's argument for a call: a 4-byte big-endian length, the request document
     * without its body, then the body as raw bytes. Carrying the body outside the JSON keeps the
     * largest valid outcall (2,000,000 bytes of headers and body) within one ingress message,
     * which a base64 body would not be.
     */
    public static byte[] writeArgument(ProxyCall call) {
        byte[] body = call.request().body();
        ProxyCall withoutBody = new ProxyCall(call.request().toBuilder().body(null).build(), call.cycles());
        byte[] doc = writeRequest(withoutBody);
        return java.nio.ByteBuffer.allocate(4 + doc.length + body.length).putInt(doc.length).put(doc).put(body).array();
    }

    /** Parses what {@link #writeArgument} wrote; errors name the field as for a request document. */
    public static ProxyCall parseArgument(byte[] argument) throws RequestJsonException {
        if (argument.length < 4) {
            throw new RequestJsonException("argument", "too short: " + argument.length + " bytes");
        }
        int docLength = java.nio.ByteBuffer.wrap(argument, 0, 4).getInt();
        if (docLength < 0 || docLength > argument.length - 4) {
            throw new RequestJsonException("argument", "document length " + docLength + " exceeds the "
                    + (argument.length - 4) + " bytes that follow it");
        }
        ProxyCall call = parseRequest(java.util.Arrays.copyOfRange(argument, 4, 4 + docLength));
        if (call.request().bodySize() > 0) {
            throw new RequestJsonException("body", "belongs after the document, not inside it");
        }
        byte[] body = java.util.Arrays.copyOfRange(argument, 4 + docLength, argument.length);
        return new ProxyCall(call.request().toBuilder().body(body).build(), call.cycles());
    }

    /** The request document for a call; {@link #parseRequest} returns an equal call. */
    public static byte[] writeRequest(ProxyCall call) {
        OutcallRequest r = call.request();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("url", r.url());
        o.put("method", r.method().name());
        o.set("headers", headers(r.headers()));
        if (r.bodySize() > 0) {
            o.put("body", Base64.getEncoder().encodeToString(r.body()));
        }
        r.maxResponseBytes().ifPresent(m -> o.put("max_response_bytes", m));
        r.transform().ifPresent(t -> {
            ObjectNode tn = o.putObject("transform");
            tn.put("name", t.name());
            tn.put("context", Base64.getEncoder().encodeToString(t.context()));
        });
        o.put("policy", r.policy());
        call.cycles().ifPresent(c -> o.put("cycles", c));
        return bytes(o);
    }

    /**
     * A result's {@code request}: what the canister asked for, with the body as its SHA-256
     * ({@code {url, method, headers:[{name,value}], body_sha256, max_response_bytes?,
     * transform?:{name, context (base64)}, policy}}; docs/result-document.md).
     */
    public static ObjectNode request(OutcallRequest request) {
        SignedRequest r = SignedRequest.of(request);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("url", r.url());
        o.put("method", r.method());
        o.set("headers", headers(r.headers()));
        o.put("body_sha256", r.bodySha256());
        r.maxResponseBytes().ifPresent(m -> o.put("max_response_bytes", m));
        r.transform().ifPresent(t -> o.putObject("transform").put("name", t.name())
                .put("context", Base64.getEncoder().encodeToString(t.context())));
        o.put("policy", r.policy());
        return o;
    }

    /**
     * A result's {@code context}: the rest of what the certificate's shares signed the digest of
     * ({@code {subnet_id, callback_id, canister_id, attached_cycles, fee, request_time,
     * policy_version, transform_version, registry_version, seed}}; docs/result-document.md).
     */
    public static ObjectNode context(OutcallContext context) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("subnet_id", context.subnetId());
        o.put("callback_id", context.callbackId());
        o.put("canister_id", context.canisterId());
        o.put("attached_cycles", context.attachedCycles());
        o.put("fee", context.fee());
        o.put("request_time", context.requestTime());
        o.put("policy_version", context.policyVersion());
        o.put("transform_version", context.transformVersion());
        o.put("registry_version", context.registryVersion());
        o.put("seed", context.seed());
        return o;
    }

    /** {@code {status, headers:[{name,value}], body}} with the body in base64. */
    public static ObjectNode response(HttpResponse response) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("status", response.status());
        o.set("headers", headers(response.headers()));
        o.put("body", Base64.getEncoder().encodeToString(response.body()));
        return o;
    }

    /** {@code {code, kind, message}}. */
    public static ObjectNode reject(Reject reject) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("code", reject.code().name());
        o.put("kind", reject.kind().wireName());
        o.put("message", reject.message());
        return o;
    }

    /**
     * {@code {median, count, min, max}} with decimals as strings, so no precision is lost.
     *
     * @throws IllegalArgumentException if a decimal lies outside the decimal range (see {@link #decimal})
     */
    public static ObjectNode value(AggregateValue value) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("median", decimal(value.value(), "median"));
        o.put("count", value.count());
        o.put("min", decimal(value.min(), "min"));
        o.put("max", decimal(value.max(), "max"));
        return o;
    }

    /**
     * A decimal in plain notation, at most {@value Decimals#MAX_PLAIN_CHARS} characters: never the
     * billion digits of {@code 1e999999999}, whose size no one checked.
     *
     * @param field names the decimal in the message
     * @throws IllegalArgumentException "field: 1E+999999999 is outside the decimal range: ..."
     */
    public static String decimal(BigDecimal value, String field) {
        return Decimals.toPlainString(value, field);
    }

    public static ObjectNode cycles(Cycles cycles) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("attached", cycles.attached());
        o.put("charged", cycles.charged());
        o.put("refunded", cycles.refunded());
        return o;
    }

    /** Compact JSON bytes of a tree, fields in insertion order. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree cannot be written", e);
        }
    }

    /** Parses JSON this class wrote (stored results). */
    public static ObjectNode readObject(byte[] json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }

    private static void parseHeaders(JsonNode root, OutcallRequest.Builder b) throws RequestJsonException {
        JsonNode headers = root.get("headers");
        if (headers == null || headers.isNull()) {
            return;
        }
        if (!headers.isArray()) {
            throw new RequestJsonException("headers", "must be an array of {name, value}");
        }
        for (int i = 0; i < headers.size(); i++) {
            String field = "headers[" + i + "]";
            JsonNode h = headers.get(i);
            if (!h.isObject()) {
                throw new RequestJsonException(field, "must be an object {name, value}");
            }
            for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("name") && !name.equals("value")) {
                    throw new RequestJsonException(field + "." + name, "unknown field; expected name and value");
                }
            }
            String name = requiredText(h, "name", field + ".name");
            String value = requiredText(h, "value", field + ".value");
            try {
                b.header(new HttpHeader(name, value));
            } catch (IllegalArgumentException e) {
                throw new RequestJsonException(field, e.getMessage());
            }
        }
    }

    private static TransformSpec parseTransform(JsonNode t) throws RequestJsonException {
        if (!t.isObject()) {
            throw new RequestJsonException("transform", "must be an object {name, context}");
        }
        for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("name") && !name.equals("context")) {
                throw new RequestJsonException("transform." + name, "unknown field; expected name and context");
            }
        }
        String name = requiredText(t, "name", "transform.name");
        byte[] context = t.has("context") && !t.get("context").isNull()
                ? base64(t.get("context"), "transform.context") : new byte[0];
        try {
            return TransformSpec.of(name, context);
        } catch (IllegalArgumentException e) {
            throw fieldError(e);
        }
    }

    private static ArrayNode headers(List<HttpHeader> headers) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (HttpHeader h : headers) {
            a.addObject().put("name", h.name()).put("value", h.value());
        }
        return a;
    }

    private static String requiredText(JsonNode node, String name) throws RequestJsonException {
        return requiredText(node, name, name);
    }

    private static String requiredText(JsonNode node, String name, String field) throws RequestJsonException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new RequestJsonException(field, "is required");
        }
        if (!v.isTextual()) {
            throw new RequestJsonException(field, "must be a string");
        }
        return v.textValue();
    }

    private static byte[] base64(JsonNode v, String field) throws RequestJsonException {
        if (!v.isTextual()) {
            throw new RequestJsonException(field, "must be a base64 string");
        }
        try {
            return Base64.getDecoder().decode(v.textValue());
        } catch (IllegalArgumentException e) {
            throw new RequestJsonException(field, "is not valid base64: " + e.getMessage());
        }
    }

    private static long nonNegativeLong(JsonNode v, String field) throws RequestJsonException {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new RequestJsonException(field, "must be a whole number within 0.." + Long.MAX_VALUE);
        }
        long n = v.longValue();
        if (n < 0) {
            throw new RequestJsonException(field, "must not be negative (was " + n + ")");
        }
        return n;
    }

    /** Our value types name the field first ("url: ..."); keep that as the field. */
    private static RequestJsonException fieldError(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "invalid" : e.getMessage();
        int colon = message.indexOf(": ");
        if (colon > 0 && message.substring(0, colon).matches("[a-z_.\\[\\]0-9]+")) {
            return new RequestJsonException(message.substring(0, colon), message.substring(colon + 2));
        }
        return new RequestJsonException("body", message);
    }

    private static String sorted(Set<String> names) {
        return names.stream().sorted().toList().toString();
    }

}
