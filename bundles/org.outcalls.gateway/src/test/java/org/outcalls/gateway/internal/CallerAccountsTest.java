package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.outcalls.canister.proxy.ProxyQuotas;
import org.outcalls.replica.Replica;

/**
 * Callers with their own keys and accounts in the proxy canister, on a real subnet behind a real
 * gateway: what one caller does costs, locks, reveals or fills nothing of another's.
 */
class CallerAccountsTest {
    private static final long FEE_ROOM = 10_000_000_000L; // a plain GET costs about 6.4e9 on 4 replicas

    @Test
    void aCallerIsRefusedBeyondItsOwnBalanceAndAnotherProceedsWhileItsOutcallsStall() throws Exception {
        try (AccountsSubnet s = new AccountsSubnet(ProxyQuotas.DEFAULT, GatewaySettings.of("127.0.0.1", 0))) {
            AccountsSubnet.Caller a = s.caller(2 * FEE_ROOM + 7);
            AccountsSubnet.Caller b = s.caller(900 * FEE_ROOM + 3);

            JsonNode refused = s.await(a.outcall("/fixed", 2 * FEE_ROOM + 8));
            assertEquals("rejected", refused.path("status").asText(), refused.toString());
            assertEquals("CANISTER_REJECT", refused.path("reject").path("code").asText());
            assertEquals("insufficient_cycles", refused.path("reject").path("kind").asText());
            String message = refused.path("reject").path("message").asText();
            assertTrue(message.contains("caller " + a.principal + " holds " + (2 * FEE_ROOM + 7) + " cycles"), message);
            long proxyCycles = s.subnet.honest().get(0).cyclesBalance("proxy").orElseThrow();
            assertFalse(message.contains(Long.toString(900 * FEE_ROOM + 3)) || message.contains(Long.toString(proxyCycles))
                    || message.contains(b.principal), "neither B's balance nor the proxy's: " + message);

            // A attaches its whole balance to an origin that never answers: locked, but only A's
            String stalled1 = a.outcall("/stall", FEE_ROOM);
            String stalled2 = a.outcall("/stall", FEE_ROOM + 7);
            s.awaitRecorded(stalled1);
            s.awaitRecorded(stalled2);
            JsonNode broke = s.await(a.outcall("/fixed", 1));
            assertTrue(broke.path("reject").path("message").asText().contains("holds 0 cycles"), broke.toString());
            for (int i = 0; i < 3; i++) {
                JsonNode done = s.await(b.outcall("/fixed", FEE_ROOM));
                assertEquals("completed", done.path("status").asText(), done.toString());
                assertEquals(b.principal, done.path("caller").asText());
            }
            assertEquals("pending", AccountsSubnet.MAPPER.readTree(s.record(stalled1).body()).path("status").asText(),
                    "B's outcalls were decided while A's still stalled");
            assertEquals(0, a.balance().path("account").path("balance").asLong());
        }
    }

    @Test
    void aCallerReadsItsOwnBalanceAndNoOneElses() throws Exception {
        try (AccountsSubnet s = new AccountsSubnet(ProxyQuotas.DEFAULT, GatewaySettings.of("127.0.0.1", 0))) {
            AccountsSubnet.Caller a = s.caller(1_111_111);
            AccountsSubnet.Caller b = s.caller(2_222_222);
            JsonNode mine = a.balance();
            assertEquals(a.principal, mine.path("caller").asText());
            assertEquals(1_111_111, mine.path("account").path("balance").asLong());
            assertFalse(mine.toString().contains("2222222") || mine.toString().contains(b.principal), mine.toString());

            JsonNode asking = s.await(a.send("balance", b.principal.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals("rejected", asking.path("status").asText());
            assertEquals("invalid_argument", asking.path("reject").path("kind").asText());
            assertFalse(asking.toString().contains("2222222"), asking.toString());
            HttpResponse<String> query = s.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    s.base + "/api/v1/canisters/proxy/query/balance?arg=" + b.principal)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, query.statusCode(), "no query tells an account: " + query.body());
            assertFalse(query.body().contains("2222222"), query.body());
        }
    }

    @Test
    void aCallerOverItsOpenOutcallQuotaIsRefusedWhileOthersProceed() throws Exception {
        ProxyQuotas two = new ProxyQuotas(2, 16L * 1024 * 1024, 64L * 1024 * 1024, 600_000);
        try (AccountsSubnet s = new AccountsSubnet(two, GatewaySettings.of("127.0.0.1", 0))) {
            AccountsSubnet.Caller a = s.caller(100 * FEE_ROOM);
            AccountsSubnet.Caller b = s.caller(100 * FEE_ROOM);
            s.awaitRecorded(a.outcall("/stall", FEE_ROOM));
            s.awaitRecorded(a.outcall("/stall", FEE_ROOM));
            JsonNode third = s.await(a.outcall("/fixed", FEE_ROOM));
            assertEquals("rejected", third.path("status").asText(), third.toString());
            assertEquals("quota_exceeded", third.path("reject").path("kind").asText());
            assertTrue(third.path("reject").path("message").asText().contains("caller " + a.principal
                    + " has 2 open outcalls; at most 2"), third.toString());
            assertEquals(100 * FEE_ROOM - 2 * FEE_ROOM, a.balance().path("account").path("balance").asLong(),
                    "the refused outcall cost nothing");
            for (int i = 0; i < 3; i++) {
                assertEquals("completed", s.await(b.outcall("/fixed", FEE_ROOM)).path("status").asText());
            }
        }
    }

    @Test
    void resultsAreDroppedOnceTheirRetentionHasPassedInBlockTime() throws Exception {
        long retention = 3_000;
        ProxyQuotas brief = new ProxyQuotas(16, 16L * 1024 * 1024, 64L * 1024 * 1024, retention);
        try (AccountsSubnet s = new AccountsSubnet(brief, GatewaySettings.of("127.0.0.1", 0))) {
            AccountsSubnet.Caller a = s.caller(100 * FEE_ROOM);
            AccountsSubnet.Caller b = s.caller(100 * FEE_ROOM);
            String id = a.outcall("/fixed", FEE_ROOM);
            assertEquals("completed", s.await(id).path("status").asText());
            Replica front = s.subnet.honest().get(0);
            long completedBy = front.blockTime();
            assertEquals(200, s.record(id).statusCode(), "kept while its retention lasts");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (front.blockTime() <= completedBy + retention && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            b.balance(); // any call to the proxy drops what has expired, in block time
            HttpResponse<String> gone = s.record(id);
            assertEquals(404, gone.statusCode(), gone.body());
            assertTrue(gone.body().contains("any more"), gone.body());
            assertEquals(0, a.balance().path("account").path("result_bytes").asLong(), "A keeps no result bytes any more");
        }
    }
}
