package org.outcalls.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeesTest {

    @Test
    void followsTheFormula() {
        // n = 13 is the IC's application subnet size; 100 request bytes, 2,000 response bytes.
        long expected = (3_000_000L + 60_000L * 13) * 13 + 400L * 13 * 100 + 800L * 13 * 2_000;
        assertEquals(expected, Fees.httpRequestFee(13, 100, 2_000));
        assertEquals((3_000_000L + 60_000L * 4) * 4, Fees.httpRequestFee(4, 0, 0));
    }

    @Test
    void defaultMaxResponseBytesIsCharged() {
        OutcallRequest r = OutcallRequest.builder("https://a.b/").build();
        assertEquals(Fees.httpRequestFee(4, 12, 2_000_000), Fees.httpRequestFee(4, r));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Fees.httpRequestFee(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Fees.httpRequestFee(4, -1, 1));
    }
}
