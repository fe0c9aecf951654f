package org.outcalls.consensus.outcall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.DecimalStrings;
import org.outcalls.api.Decimals;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;

/** An outcall item's aggregate value is decoded only within the decimal range, whatever a block maker wrote. */
class OutcallItemDecimalsTest {
    private static final Hash H = Hash.sha256(new byte[] {1});

    /** An item with a VALUE outcome written field by field as {@link OutcallItem#write} does, with any decimal texts. */
    private static byte[] valueItem(String value, String min, String max) {
        CanonicalWriter w = new CanonicalWriter(1024);
        w.i64(7).hash(H).hash(H).string("median").string("1.0.0").u8(OutcallItem.Outcome.VALUE.ordinal());
        w.list(List.<SignedShare>of(), (sw, s) -> s.write(sw));
        w.bytes(new byte[0]);
        w.list(List.<byte[]>of(), CanonicalWriter::bytes);
        w.bool(true);
        w.string(value).i32(3).string(min).string(max);
        w.string("");
        return w.toByteArray();
    }

    private static OutcallItem item(AggregateValue v) {
        return new OutcallItem(7, H, H, "median", "1.0.0", OutcallItem.Outcome.VALUE, List.of(), null, List.of(), v, "");
    }

    private static String decodeError(byte[] bytes) {
        return assertThrows(DecodeException.class, () -> OutcallItem.decode(bytes)).getMessage();
    }

    @Test
    void theHandWrittenItemIsWhatWriteWrites() {
        AggregateValue v = new AggregateValue(new BigDecimal("1E-100"), 3, new BigDecimal("-1E+100"), new BigDecimal("12.5"));
        assertArrayEquals(item(v).encode(), valueItem("1E-100", "-1E+100", "12.5"));
    }

    @Test
    void theLongestInRangeValuesRoundTrip() throws DecodeException {
        BigDecimal widest = new BigDecimal(BigInteger.TEN.pow(299), Decimals.MAX_SCALE); // 301 characters
        BigDecimal tiniest = new BigDecimal("-" + "9".repeat(100) + "e-199");
        AggregateValue v = new AggregateValue(widest, 3, tiniest, widest);
        assertEquals(301, widest.toString().length());
        assertEquals(v, OutcallItem.decode(item(v).encode()).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E+999999999", "1E-999999999", "1E+2147483647", "1E+101", "1.5E-101", "0E-200"})
    void aValueOutsideTheRangeIsADecodeError(String outside) {
        String e = decodeError(valueItem("1", "1", outside));
        assertTrue(e.contains("max: ") && e.contains(" is outside the decimal range: "), e);
        e = decodeError(valueItem(outside, "1", "1"));
        assertTrue(e.contains("value: ") && e.contains(" is outside the decimal range: "), e);
    }

    @Test
    void onlyRfc8259NumbersAreRead() {
        for (String bad : new String[] {"+1", "1.", ".5", " 1", "1e", "NaN", "0x10", ""}) {
            assertTrue(decodeError(valueItem("1", bad, "1")).contains("is not a decimal number"), bad);
        }
        assertTrue(decodeError(valueItem("1", "1", "1".repeat(Decimals.MAX_TEXT_CHARS + 1))).contains("max"),
                "a text longer than any in-range value is not read");
    }

    /** Seeded decimal texts as the value, min and max: read exactly within the range, refused with the range's message outside it. */
    @Property(tries = 1500, seed = "20240613")
    void aDecimalIsReadExactlyOrRefusedPrecisely(@ForAll("texts") String text) throws DecodeException {
        DecimalStrings.collectStatistics(text);
        byte[] bytes = valueItem(text, text, text);
        if (DecimalStrings.inRange(text)) {
            BigDecimal v = new BigDecimal(text);
            OutcallItem decoded = OutcallItem.decode(bytes);
            assertEquals(new AggregateValue(v, 3, v, v), decoded.value());
            assertEquals(decoded.value(), OutcallItem.decode(decoded.encode()).value(), "and again after encoding");
        } else {
            String e = decodeError(bytes);
            assertTrue(e.contains("value: ") && e.contains(" is outside the decimal range: "), e);
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return DecimalStrings.texts();
    }

    @AfterProperty
    void bothSidesOfTheRangeAreCovered() {
        DecimalStrings.checkCoverage();
    }
}
