package org.outcalls.canister.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Cycles;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallContext;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.canister.proxy.OutcallJson;

class ProxyCanisterTest {
    private final ProxyCanister proxy = new ProxyCanister();

    private static byte[] argument(String requestJson) throws Exception {
        return OutcallJson.writeArgument(OutcallJson.parseRequest(json(requestJson)));
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode get(InMemoryHost host, String id) throws CanisterException {
        return OutcallJson.readObject(proxy.query(host, "get", json(id)));
    }

    @Test
    void recordsPendingThenTheResult() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000_000_000_000L);
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        assertEquals(1, host.requests.size());
        long fee = host.fee(host.requests.get(0));
        assertEquals(1_000_000_000_000L - fee, host.balance, "without cycles, exactly the fee is attached");
        assertEquals("pending", get(host, "m1").get("status").asText());

        HttpResponse response = HttpResponse.of(200, List.of(new HttpHeader("a", "b")), json("hi"));
        host.height = 2;
        proxy.onOutcallResult(host, OutcallResult.completed(1, response, new Cycles(fee, fee, 0), new byte[] {1, 2}));
        ObjectNode record = get(host, "m1");
        assertEquals("completed", record.get("status").asText());
        assertEquals(200, record.get("response").get("status").asInt());
        assertEquals("aGk=", record.get("response").get("body").asText());
        assertEquals(2, record.get("height").asLong());
        assertEquals("AQI=", record.get("certificate").asText());
        assertTrue(host.get("c/00000000000000000001").isEmpty(), "the callback mapping is gone once delivered");
    }

    @Test
    void aResultShowsTheRequestAndContextItsSharesSigned() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000_000_000_000L);
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\",\"method\":\"POST\",\"body\":\"aGk=\","
                + "\"headers\":[{\"name\":\"accept\",\"value\":\"text/plain\"}],\"max_response_bytes\":4096,"
                + "\"transform\":{\"name\":\"json\",\"context\":\"L3A=\"},\"policy\":\"median\"}"));
        OutcallRequest request = host.requests.get(0);
        ObjectNode pending = get(host, "m1");
        String shown = "{\"url\":\"https://a.example/\",\"method\":\"POST\",\"headers\":[{\"name\":\"accept\","
                + "\"value\":\"text/plain\"}],\"body_sha256\":\"" + SHA256_OF_HI + "\",\"max_response_bytes\":4096,"
                + "\"transform\":{\"name\":\"json\",\"context\":\"L3A=\"},\"policy\":\"median\"}";
        assertEquals(shown, pending.get("request").toString(), "the request is shown, its body by its SHA-256");

        String subnet = "ab".repeat(32);
        String seed = "cd".repeat(32);
        long fee = host.fee(request);
        OutcallContext context = new OutcallContext(subnet, 1, "proxy", request, fee, fee, 1_000, "0.1.0", "0.1.0", 2, seed);
        proxy.onOutcallResult(host, OutcallResult.aggregated(1, new AggregateValue(BigDecimal.ONE, 3, BigDecimal.ONE,
                BigDecimal.TEN), new Cycles(fee, fee, 0), new byte[] {1}).withContext(context));
        ObjectNode record = get(host, "m1");
        assertEquals(shown, record.get("request").toString());
        assertEquals("{\"subnet_id\":\"" + subnet + "\",\"callback_id\":1,\"canister_id\":\"proxy\",\"attached_cycles\":"
                + fee + ",\"fee\":" + fee + ",\"request_time\":1000,\"policy_version\":\"0.1.0\",\"transform_version\":\"0.1.0\",\"registry_version\":2,"
                + "\"seed\":\"" + seed + "\"}", record.get("context").toString());
        assertTrue(record.get("url") == null && record.get("policy") == null, "the request is shown in one place");
    }

    /** SHA-256 of "hi". */
    private static final String SHA256_OF_HI = "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4";

    @Test
    void sameMessageTwiceMakesOneOutcall() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000_000_000_000L);
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        assertEquals(1, host.requests.size());
    }

    @Test
    void tooSmallABalanceIsARejectedRecord() throws Exception {
        InMemoryHost host = new InMemoryHost(10);
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\",\"cycles\":500}"));
        ObjectNode record = get(host, "m1");
        assertEquals("rejected", record.get("status").asText());
        assertEquals("insufficient_cycles", record.get("reject").get("kind").asText());
        assertEquals(10, host.balance);
    }

    @Test
    void unknownIdIsNotFound() {
        CanisterException e = assertThrows(CanisterException.class, () -> get(new InMemoryHost(0), "nope"));
        assertTrue(e.getMessage().startsWith("no outcall with id nope"), e.getMessage());
    }

    @Test
    void oldestRecordsAreDroppedBeyondTheBound() throws Exception {
        InMemoryHost host = new InMemoryHost(Long.MAX_VALUE);
        ResultStore store = new ResultStore(host);
        for (int i = 0; i < ResultStore.MAX_RECORDS + 3; i++) {
            ObjectNode r = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", "x" + i);
            store.putFinal("x" + i, r);
        }
        assertTrue(host.get("r/x0").isEmpty());
        assertTrue(host.get("r/x2").isEmpty());
        assertTrue(host.get("r/x3").isPresent());
        assertEquals(ResultStore.MAX_RECORDS * 2 + 2, host.size(), "records + sequence keys + two counters");
    }
}
