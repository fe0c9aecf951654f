package org.outcalls.canister.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.TransformSpec;

class OutcallJsonTest {

    private static ProxyCall parse(String json) throws RequestJsonException {
        return OutcallJson.parseRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RequestJsonException error(String json) {
        return assertThrows(RequestJsonException.class, () -> parse(json));
    }

    @Test
    void parsesEveryField() throws Exception {
        ProxyCall call = parse("{\"url\":\"https://a.example/x\",\"method\":\"post\","
                + "\"headers\":[{\"name\":\"content-type\",\"value\":\"application/json\"}],"
                + "\"body\":\"e30=\",\"max_response_bytes\":1000,"
                + "\"transform\":{\"name\":\"json\",\"context\":\"L3ByaWNl\"},\"policy\":\"median\",\"cycles\":42}");
        OutcallRequest r = call.request();
        assertEquals("https://a.example/x", r.url());
        assertEquals(HttpMethod.POST, r.method());
        assertEquals("content-type", r.headers().get(0).name());
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals(1000, r.maxResponseBytes().getAsLong());
        assertEquals(TransformSpec.of("json", "/price"), r.transform().orElseThrow());
        assertEquals("median", r.policy());
        assertEquals(OptionalLong.of(42), call.cycles());
    }

    @Test
    void roundTrips() throws Exception {
        ProxyCall call = parse("{\"url\":\"https://a.example/\",\"headers\":[{\"name\":\"a\",\"value\":\"b\"}],"
                + "\"transform\":{\"name\":\"identity\"}}");
        assertEquals(call, OutcallJson.parseRequest(OutcallJson.writeRequest(call)));
    }

    @Test
    void theArgumentCarriesTheBodyOutsideTheJson() throws Exception {
        byte[] body = new byte[2_000_000];
        body[0] = 7;
        ProxyCall call = new ProxyCall(OutcallRequest.builder("https://a.example/").method(HttpMethod.POST).body(body)
                .build(), OptionalLong.of(5));
        byte[] argument = OutcallJson.writeArgument(call);
        assertTrue(argument.length < 2_000_200, "no base64: " + argument.length + " bytes");
        assertEquals(call, OutcallJson.parseArgument(argument));
        assertEquals("argument", assertThrows(RequestJsonException.class,
                () -> OutcallJson.parseArgument(new byte[] {0, 0, 1})).field());
        assertEquals("argument", assertThrows(RequestJsonException.class,
                () -> OutcallJson.parseArgument(new byte[] {0, 0, 0, 9, '{'})).field());
    }

    @Test
    void namesTheFieldAtFault() {
        assertEquals("url", error("{}").field());
        assertEquals("url", error("{\"url\":7}").field());
        assertEquals("urll", error("{\"url\":\"https://a/\",\"urll\":1}").field());
        assertEquals("method", error("{\"url\":\"https://a/\",\"method\":\"TRACE\"}").field());
        assertEquals("headers[1].value", error("{\"url\":\"https://a/\",\"headers\":[{\"name\":\"a\",\"value\":\"b\"},"
                + "{\"name\":\"c\"}]}").field());
        assertEquals("headers[0]", error("{\"url\":\"https://a/\",\"headers\":[{\"name\":\"bad name\",\"value\":\"b\"}]}").field());
        assertEquals("body", error("{\"url\":\"https://a/\",\"body\":\"not base64!\"}").field());
        assertEquals("max_response_bytes", error("{\"url\":\"https://a/\",\"max_response_bytes\":-1}").field());
        assertEquals("max_response_bytes", error("{\"url\":\"https://a/\",\"max_response_bytes\":1.5}").field());
        assertEquals("cycles", error("{\"url\":\"https://a/\",\"cycles\":\"many\"}").field());
        assertEquals("transform.name", error("{\"url\":\"https://a/\",\"transform\":{}}").field());
        assertEquals("transform.context", error("{\"url\":\"https://a/\",\"transform\":{\"name\":\"x\",\"context\":\"%\"}}").field());
        assertEquals("body", error("[1,2]").field());
        assertEquals("body", error("{\"url\":").field());
    }

    @Test
    void rejectsDuplicateFields() {
        RequestJsonException e = error("{\"url\":\"https://a/\",\"url\":\"https://b/\"}");
        assertEquals("body", e.field());
        assertTrue(e.getMessage().contains("Duplicate field"), e.getMessage());
    }

    @Test
    void rejectsOversizeDocuments() {
        byte[] huge = new byte[OutcallJson.MAX_REQUEST_JSON_BYTES + 1];
        RequestJsonException e = assertThrows(RequestJsonException.class, () -> OutcallJson.parseRequest(huge));
        assertTrue(e.getMessage().contains("at most"), e.getMessage());
    }
}
