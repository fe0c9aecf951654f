package org.outcalls.api.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Reading a result document: what it shows, and a precise error naming each field that is missing or malformed. */
class ResultDocumentTest {
    private static final String A = "a".repeat(64);
    private static final String REQUEST = "{\"url\":\"https://a.example/\",\"method\":\"GET\",\"headers\":[],"
            + "\"body_sha256\":\"" + A + "\",\"transform\":{\"name\":\"json\",\"context\":\"L3ByaWNl\"},\"policy\":\"two-thirds\"}";
    private static final String CONTEXT = "{\"subnet_id\":\"" + A + "\",\"callback_id\":3,\"canister_id\":\"proxy\","
            + "\"attached_cycles\":10,\"fee\":9,\"request_time\":1000,\"policy_version\":\"0.1.0\",\"transform_version\":\"\",\"registry_version\":1,"
            + "\"seed\":\"" + A + "\"}";

    private static String doc(String request, String context) {
        return "{\"id\":\"m1\",\"status\":\"completed\",\"request\":" + request + ",\"context\":" + context
                + ",\"callback_id\":3,\"response\":{\"status\":200,\"headers\":[{\"name\":\"a\",\"value\":\"b\"}],"
                + "\"body\":\"aGk=\"},\"cycles\":{\"attached\":10,\"charged\":9,\"refunded\":1},\"height\":9,"
                + "\"certificate\":\"AQI=\"}";
    }

    @Test
    void readsTheRequestItsContextAndTheResult() throws Exception {
        ResultDocument d = ResultDocument.parse(doc(REQUEST, CONTEXT));
        SignedContext c = d.context().orElseThrow();
        assertEquals("https://a.example/", c.request().url());
        assertEquals("/price", new String(c.request().transform().orElseThrow().context()));
        assertFalse(c.request().maxResponseBytes().isPresent());
        assertEquals("two-thirds@0.1.0", c.policy());
        assertEquals(3, c.callbackId());
        assertEquals(200, d.response().orElseThrow().status());
        assertEquals(1, d.cycles().orElseThrow().refunded());
        assertEquals(2, d.certificate().length);
        assertEquals("m1", d.id().orElseThrow());
    }

    @Test
    void aPendingOrUnboundDocumentHasNoContext() throws Exception {
        ResultDocument d = ResultDocument.parse("{\"id\":\"m1\",\"status\":\"pending\",\"request\":" + REQUEST + "}");
        assertTrue(d.request().isPresent());
        assertTrue(d.context().isEmpty());
        assertEquals(0, d.certificate().length);
    }

    @Test
    void everyMalformedFieldIsNamed() {
        assertField(doc(REQUEST.replace("\"url\":\"https://a.example/\",", ""), CONTEXT), "request.url", "is required");
        assertField(doc(REQUEST.replace("\"GET\"", "\"get\""), CONTEXT), "request.method", "must be one of");
        assertField(doc(REQUEST.replace("\"headers\":[]", "\"headers\":[{\"name\":\"a b\",\"value\":\"c\"}]"), CONTEXT),
                "request.headers[0].name", "not allowed in an HTTP token");
        assertField(doc(REQUEST.replace("\"headers\":[]", "\"headers\":[7]"), CONTEXT), "request.headers[0]",
                "must be an object");
        assertField(doc(REQUEST.replace("L3ByaWNl", "%%%"), CONTEXT), "request.transform.context", "is not valid base64");
        assertField(doc(REQUEST.replace("\"body_sha256\":\"" + A + "\"", "\"body_sha256\":\"" + A.toUpperCase() + "\""),
                CONTEXT), "request.body_sha256", "64 lower-case hex digits");
        assertField(doc(REQUEST, CONTEXT.replace("\"fee\":9", "\"fee\":-9")), "context.fee", "must be within 0..");
        assertField(doc(REQUEST, CONTEXT.replace("\"callback_id\":3", "\"callback_id\":\"3\"")), "context.callback_id",
                "must be a whole number");
        assertField(doc(REQUEST, CONTEXT.replace("\"seed\":\"" + A + "\"", "\"seed\":null")), "context.seed", "is required");
        assertField(doc(REQUEST, CONTEXT).replace("\"status\":200", "\"status\":42"), "response.status", "must be within 100..999");
        assertField(doc(REQUEST, CONTEXT).replace("\"refunded\":1", "\"refunded\":2"), "cycles.refunded", "attached 10 != charged 9");
        assertField("{\"context\":" + CONTEXT + "}", "request", "is required beside context");
        assertField("[1]", "document", "must be a JSON object");
        assertField("{\"reject\":{\"code\":\"NOPE\",\"kind\":\"timeout\",\"message\":\"m\"}}", "reject.code", "must be one of");
        assertField("{\"value\":{\"median\":\"1e999999999\",\"count\":3,\"min\":\"1\",\"max\":\"2\"}}", "value.median",
                "outside the decimal range");
        assertField("{\"certificate\":\"" + Base64.getEncoder().encodeToString(new byte[] {1}) + "\",\"certificate\":\"\"}",
                "certificate", "appears twice");
    }

    private static void assertField(String json, String field, String fragment) {
        DocumentException e = assertThrows(DocumentException.class, () -> ResultDocument.parse(json), json);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
