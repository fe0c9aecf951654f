package org.outcalls.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A REST outcall request document ({@code POST /api/v1/outcalls}) built fluently, for tests:
 * {@code OutcallJson.get(url).transform("json", "/price").policy("two-thirds").toJson()}.
 */
public final class OutcallJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ObjectNode doc = MAPPER.createObjectNode();

    private OutcallJson(String method, String url) {
        doc.put("url", url).put("method", method);
        doc.putArray("headers");
    }

    public static OutcallJson get(String url) {
        return new OutcallJson("GET", url);
    }

    public static OutcallJson request(String method, String url) {
        return new OutcallJson(method, url);
    }

    public OutcallJson header(String name, String value) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("headers")).addObject().put("name", name).put("value", value);
        return this;
    }

    public OutcallJson body(byte[] body) {
        doc.put("body", Base64.getEncoder().encodeToString(body));
        return this;
    }

    public OutcallJson body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A transform by name, with its context as UTF-8 text. */
    public OutcallJson transform(String name, String context) {
        doc.putObject("transform").put("name", name)
                .put("context", Base64.getEncoder().encodeToString(context.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public OutcallJson policy(String policy) {
        doc.put("policy", policy);
        return this;
    }

    public OutcallJson maxResponseBytes(long max) {
        doc.put("max_response_bytes", max);
        return this;
    }

    public OutcallJson cycles(long cycles) {
        doc.put("cycles", cycles);
        return this;
    }

    public String toJson() {
        return doc.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** The response body of a completed record as UTF-8 text (empty if it has none). */
    public static String bodyText(JsonNode record) {
        String b64 = record.path("response").path("body").asText("");
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
