package org.outcalls.replica.internal.codec;

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
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.OutcallDelivery;

class DeliveryCodecTest {
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
            byte[] bytes = encode(d);
            OutcallDelivery back = decode(bytes);
            assertEquals(d, back);
            assertArrayEquals(bytes, encode(back));
        }
        byte[] bytes = encode(all.get(0));
        assertThrows(DecodeException.class, () -> decode(Arrays.copyOf(bytes, bytes.length + 1)));
        byte[] badKind = encode(all.get(2));
        badKind[8] = 3;
        assertThrows(DecodeException.class, () -> decode(badKind));
    }

    private static byte[] encode(OutcallDelivery d) {
        CanonicalWriter w = new CanonicalWriter(256);
        ValueCodec.writeDelivery(w, d);
        return w.toByteArray();
    }

    private static OutcallDelivery decode(byte[] bytes) throws DecodeException {
        CanonicalReader r = new CanonicalReader(bytes);
        OutcallDelivery d = ValueCodec.readDelivery(r);
        r.expectEnd();
        return d;
    }
}
