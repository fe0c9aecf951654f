package org.outcalls.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void headerRejectsInjection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HttpHeader("x", "a\r\nInjected: 1"));
        assertTrue(e.getMessage().contains("CR, LF or NUL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HttpHeader("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> new HttpHeader("", "v"));
    }

    @Test
    void requestNamesTheBadField() {
        assertEquals("url: must not be empty",
                assertThrows(IllegalArgumentException.class, () -> OutcallRequest.builder("").build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> OutcallRequest.builder("https://a/ b").build()).getMessage().startsWith("url:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> OutcallRequest.builder("https://a/").maxResponseBytes(-1)).getMessage()
                .startsWith("max_response_bytes:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HttpMethod.parse("TRACE")).getMessage().startsWith("method:"));
    }

    @Test
    void requestIsImmutable() {
        byte[] body = {1, 2, 3};
        OutcallRequest r = OutcallRequest.builder("https://a/").body(body).build();
        body[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, r.body());
        r.body()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, r.body());
        assertThrows(UnsupportedOperationException.class, () -> r.headers().add(new HttpHeader("a", "b")));
        assertEquals(r, r.toBuilder().build());
    }

    @Test
    void cyclesMustBalance() {
        assertThrows(IllegalArgumentException.class, () -> new Cycles(10, 3, 6));
        assertEquals(7, new Cycles(10, 3, 7).refunded());
    }

    @Test
    void aggregateValueMustLieInItsRange() {
        assertThrows(IllegalArgumentException.class,
                () -> new AggregateValue(BigDecimal.TEN, 3, BigDecimal.ONE, BigDecimal.valueOf(5)));
        assertEquals(3, new AggregateValue(BigDecimal.ONE, 3, BigDecimal.ONE, BigDecimal.TEN).count());
    }

    @Test
    void aggregateValueHoldsOnlyDecimalsWithinTheRange() {
        BigDecimal huge = new BigDecimal("1e999999999");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AggregateValue(BigDecimal.ONE, 3, BigDecimal.ONE, huge));
        assertTrue(e.getMessage().startsWith("max: 1E+999999999 is outside the decimal range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AggregateValue(new BigDecimal("1e-999999999"), 1,
                new BigDecimal("1e-999999999"), BigDecimal.ONE));
    }

    @Test
    void rejectKindWireNamesRoundTrip() {
        for (RejectKind k : RejectKind.values()) {
            assertEquals(k, RejectKind.ofWireName(k.wireName()));
        }
        assertEquals("no_consensus", RejectKind.NO_CONSENSUS.wireName());
        assertEquals(RejectCode.CANISTER_ERROR, RejectCode.ofNumber(5));
    }

    @Test
    void responseCountsHeadersAndBody() {
        HttpResponse r = HttpResponse.of(200, List.of(new HttpHeader("ab", "cde")), new byte[10]);
        assertEquals(15, r.byteSize());
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.of(42, List.of(), null));
    }
}
