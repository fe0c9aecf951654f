package org.outcalls.canister.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.outcalls.canister.proxy.ProxyQuotas;

class ProxyCanisterTest {
    private final ProxyCanister proxy = new ProxyCanister();

    static byte[] argument(String requestJson) throws Exception {
        return OutcallJson.writeArgument(OutcallJson.parseRequest(json(requestJson)));
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode get(InMemoryHost host, String id) throws CanisterException {
        return OutcallJson.readObject(proxy.query(host, "get", json(id)));
    }

    /** Credits an account as the subnet's admin would, with its own message id. */
    static void credit(ProxyCanister proxy, InMemoryHost host, String principal, long cycles) throws Exception {
        String caller = host.caller;
        String message = host.messageId;
        host.caller = InMemoryHost.ADMIN;
        host.admin = true;
        host.messageId = "topup-" + principal.substring(0, 4) + "-" + host.entries.size();
        proxy.update(host, "top_up", json(principal + " " + cycles));
        host.caller = caller;
        host.messageId = message;
        host.admin = false;
    }

    @Test
    void recordsPendingThenTheResultAndTheCallerPaysFromItsAccount() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000_000_000_000L);
        credit(proxy, host, InMemoryHost.ALICE, 100_000_000_000L);
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        assertEquals(1, host.requests.size());
        long fee = host.fee(host.requests.get(0));
        assertEquals(1_000_000_000_000L - fee, host.balance, "without cycles, exactly the fee is attached");
        ObjectNode pending = get(host, "m1");
        assertEquals("pending", pending.get("status").asText());
        assertEquals(InMemoryHost.ALICE, pending.get("caller").asText());
        assertEquals(100_000_000_000L - fee, new Accounts(host).of(InMemoryHost.ALICE).balance());

        HttpResponse response = HttpResponse.of(200, List.of(new HttpHeader("a", "b")), json("hi"));
        host.height = 2;
        proxy.onOutcallResult(host, OutcallResult.completed(1, response, new Cycles(fee, fee - 5, 5), new byte[] {1, 2}));
        ObjectNode record = get(host, "m1");
        assertEquals("completed", record.get("status").asText());
        assertEquals(200, record.get("response").get("status").asInt());
        assertEquals("aGk=", record.get("response").get("body").asText());
        assertEquals(2, record.get("height").asLong());
        assertEquals("AQI=", record.get("certificate").asText());
        assertTrue(host.get("c/00000000000000000001").isEmpty(), "the callback mapping is gone once delivered");
        Account alice = new Accounts(host).of(InMemoryHost.ALICE);
        assertEquals(100_000_000_000L - fee + 5, alice.balance(), "the refund returns to the caller's account");
        assertEquals(0, alice.openOutcalls());
        assertEquals(OutcallJson.bytes(record).length, alice.resultBytes());
    }

    @Test
    void aResultShowsTheRequestAndContextItsSharesSigned() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000_000_000_000L);
        credit(proxy, host, InMemoryHost.ALICE, 100_000_000_000L);
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
        credit(proxy, host, InMemoryHost.ALICE, 100_000_000_000L);
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        assertEquals(1, host.requests.size());
    }

    @Test
    void moreThanTheBalanceIsRefusedNamingOnlyTheCallersOwnBalance() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000_000_000_000L);
        credit(proxy, host, InMemoryHost.ALICE, 7_000);
        credit(proxy, host, InMemoryHost.BOB, 900_000_000_000L);
        CanisterException e = assertThrows(CanisterException.class,
                () -> proxy.update(host, "outcall", argument("{\"url\":\"https://a.example/\",\"cycles\":500000000000}")));
        assertTrue(e.getMessage().startsWith("insufficient_cycles: "), e.getMessage());
        assertTrue(e.getMessage().contains("holds 7000 cycles"), e.getMessage());
        assertFalse(e.getMessage().contains("900000000000") || e.getMessage().contains(Long.toString(host.balance)),
                "neither Bob's balance nor the canister's: " + e.getMessage());
        assertTrue(host.requests.isEmpty());
    }

    @Test
    void onlyAnAdminTopsUpAndNeverBeyondWhatTheCanisterHolds() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000);
        CanisterException notAdmin = assertThrows(CanisterException.class,
                () -> proxy.update(host, "top_up", json(InMemoryHost.ALICE + " 10")));
        assertTrue(notAdmin.getMessage().contains("is not an admin"), notAdmin.getMessage());
        credit(proxy, host, InMemoryHost.ALICE, 600);
        host.caller = InMemoryHost.ADMIN;
        host.admin = true;
        host.messageId = "m2";
        CanisterException tooMuch = assertThrows(CanisterException.class,
                () -> proxy.update(host, "top_up", json(InMemoryHost.BOB + " 401")));
        assertTrue(tooMuch.getMessage().contains("at most 400"), tooMuch.getMessage());
        for (String bad : List.of("", "xyz 5", InMemoryHost.BOB + " 0", InMemoryHost.BOB + " 1\n" + InMemoryHost.BOB + " 2")) {
            CanisterException e = assertThrows(CanisterException.class, () -> proxy.update(host, "top_up", json(bad)));
            assertTrue(e.getMessage().startsWith("invalid_argument: top_up"), e.getMessage());
        }
    }

    @Test
    void openOutcallsPerCallerAreBounded() throws Exception {
        ProxyCanister small = new ProxyCanister(new ProxyQuotas(2, 1_000_000, 1_000_000, 60_000));
        InMemoryHost host = new InMemoryHost(1_000_000_000_000_000L);
        credit(small, host, InMemoryHost.ALICE, 100_000_000_000_000L);
        credit(small, host, InMemoryHost.BOB, 100_000_000_000_000L);
        for (String id : List.of("a1", "a2")) {
            host.messageId = id;
            small.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        }
        host.messageId = "a3";
        CanisterException e = assertThrows(CanisterException.class,
                () -> small.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}")));
        assertTrue(e.getMessage().startsWith("quota_exceeded: caller " + InMemoryHost.ALICE + " has 2 open outcalls"),
                e.getMessage());
        host.caller = InMemoryHost.BOB;
        host.messageId = "b1";
        small.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        assertEquals(3, host.requests.size(), "Bob's outcall proceeds while Alice is at her quota");
    }

    @Test
    void resultsAreDroppedOnceTheirRetentionEnds() throws Exception {
        ProxyCanister short1 = new ProxyCanister(new ProxyQuotas(8, 1_000_000, 1_000_000, 5_000));
        InMemoryHost host = new InMemoryHost(1_000_000_000_000_000L);
        credit(short1, host, InMemoryHost.ALICE, 100_000_000_000_000L);
        short1.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        short1.onOutcallResult(host, OutcallResult.completed(1, HttpResponse.of(200, List.of(), json("x")),
                new Cycles(1, 1, 0), new byte[0]));
        host.blockTime += 5_000;
        host.messageId = "later";
        short1.update(host, "balance", new byte[0]);
        assertTrue(host.get("r/m1").isPresent(), "kept for the whole retention");
        host.blockTime += 1;
        host.messageId = "later still";
        short1.update(host, "balance", new byte[0]);
        assertTrue(host.get("r/m1").isEmpty(), "dropped after it");
        assertTrue(host.get("r/later").isPresent());
    }

    @Test
    void overItsResultQuotaACallerLosesItsOwnOldestResultsOnly() throws Exception {
        ProxyCanister small = new ProxyCanister(new ProxyQuotas(8, 1_000_000, 3_000, 600_000));
        InMemoryHost host = new InMemoryHost(1_000_000_000_000_000L);
        credit(small, host, InMemoryHost.ALICE, 100_000_000_000_000L);
        credit(small, host, InMemoryHost.BOB, 100_000_000_000_000L);
        host.caller = InMemoryHost.BOB;
        host.messageId = "bob";
        small.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
        small.onOutcallResult(host, OutcallResult.completed(1, HttpResponse.of(200, List.of(), json("b")),
                new Cycles(1, 1, 0), new byte[0]));
        host.caller = InMemoryHost.ALICE;
        for (int i = 0; i < 6; i++) {
            host.messageId = "alice" + i;
            small.update(host, "outcall", argument("{\"url\":\"https://a.example/\"}"));
            small.onOutcallResult(host, OutcallResult.completed(host.requests.size(),
                    HttpResponse.of(200, List.of(), json("x".repeat(500))), new Cycles(1, 1, 0), new byte[0]));
        }
        assertTrue(host.get("r/alice0").isEmpty(), "Alice's oldest went first");
        assertTrue(host.get("r/alice5").isPresent());
        assertTrue(host.get("r/bob").isPresent(), "Bob's result is not Alice's to push out");
        assertTrue(new Accounts(host).of(InMemoryHost.ALICE).resultBytes() <= 3_000);
    }

    @Test
    void balanceAnswersTheCallersOwnAccount() throws Exception {
        InMemoryHost host = new InMemoryHost(1_000_000);
        credit(proxy, host, InMemoryHost.ALICE, 1234);
        credit(proxy, host, InMemoryHost.BOB, 5678);
        host.messageId = "q";
        proxy.update(host, "balance", new byte[0]);
        ObjectNode r = get(host, "q");
        assertEquals(1234, r.path("account").path("balance").asLong());
        assertFalse(r.toString().contains("5678"), r.toString());
        assertThrows(CanisterException.class, () -> proxy.update(host, "balance", json(InMemoryHost.BOB)));
    }

    @Test
    void unknownIdIsNotFound() {
        CanisterException e = assertThrows(CanisterException.class, () -> get(new InMemoryHost(0), "nope"));
        assertTrue(e.getMessage().startsWith("no outcall with id nope"), e.getMessage());
    }
}
