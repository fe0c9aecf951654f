package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.crypto.DecodeException;

class OutcallDeliveryTest {
    @Test
    void everyKindRoundTripsCanonically() throws Exception {
        List<OutcallDelivery> all = List.of(
                OutcallDelivery.response(7, HttpResponse.of(303, List.of(new HttpHeader("Location", "/x"),
                        new HttpHeader("Location", "/y")), new byte[] {0, 1, 2}), new byte[] {9, 9}),
                OutcallDelivery.value(8, new AggregateValue(new BigDecimal("12.50"), 3, new BigDecimal("-1"),
                        new BigDecimal("1E+3")), null),
                OutcallDelivery.reject(9, Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.NO_CONSENSUS, "2 × ab, 2 × cd"),
                        new byte[0]));
        for (OutcallDelivery d : all) {
            byte[] bytes = d.encode();
            OutcallDelivery back = OutcallDelivery.decode(bytes);
            assertEquals(d, back);
            assertArrayEquals(bytes, back.encode());
        }
        byte[] bytes = all.get(0).encode();
        assertThrows(DecodeException.class, () -> OutcallDelivery.decode(Arrays.copyOf(bytes, bytes.length + 1)));
        byte[] badKind = all.get(2).encode();
        badKind[8] = 3;
        assertThrows(DecodeException.class, () -> OutcallDelivery.decode(badKind));
    }
}
