package org.outcalls.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;

/** The decimal range: its edges, its messages, and a seeded property over random decimal texts. */
class DecimalsTest {

    @Test
    void theEdgesOfTheRange() {
        assertTrue(Decimals.inRange(new BigDecimal("9".repeat(100) + "e1")), "100 digits, leading exponent 100");
        assertFalse(Decimals.inRange(new BigDecimal("1e101")));
        assertTrue(Decimals.inRange(new BigDecimal("1e-100")));
        assertFalse(Decimals.inRange(new BigDecimal("9.9e-101")));
        assertFalse(Decimals.inRange(new BigDecimal("1" + "0".repeat(99) + "1")), "101 significant digits");
        assertTrue(Decimals.inRange(new BigDecimal("1" + "0".repeat(100))), "trailing zeros are not significant");
        assertTrue(Decimals.inRange(new BigDecimal("-0")));
        assertTrue(Decimals.inRange(new BigDecimal("0e-199")));
        assertFalse(Decimals.inRange(new BigDecimal("0e-200")), "zero with a scale of 200 renders 200 zeros");
        assertFalse(Decimals.inRange(new BigDecimal("0e+101")));
        assertFalse(Decimals.inRange(new BigDecimal("1." + "0".repeat(200))), "scale 199 is the most");
        assertTrue(Decimals.inRange(new BigDecimal("1." + "0".repeat(199))));
        assertFalse(Decimals.inRange(new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE)), "the largest exponent a decimal holds");
        assertFalse(Decimals.inRange(new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE)));
        assertFalse(Decimals.inRange(new BigDecimal(BigInteger.TEN.pow(100_000), 100_000)), "1 with 100,000 zeros after the point");
    }

    @Test
    void theLongestRenderingsAreMaxPlainChars() {
        BigDecimal widest = new BigDecimal(BigInteger.TEN.pow(299).negate(), Decimals.MAX_SCALE);
        assertEquals(Decimals.MAX_EXPONENT, Decimals.exponent(widest));
        assertEquals(Decimals.MAX_PLAIN_CHARS, Decimals.toPlainString(widest, "v").length());
        assertTrue(widest.toString().length() <= Decimals.MAX_PLAIN_CHARS);
        BigDecimal tiniest = new BigDecimal("-" + "9".repeat(Decimals.MAX_DIGITS) + "e" + (Decimals.MIN_EXPONENT - Decimals.MAX_DIGITS + 1));
        assertEquals(1 + 2 + Decimals.MAX_SCALE, Decimals.toPlainString(tiniest, "v").length());
        assertEquals(tiniest, Decimals.parse(Decimals.toPlainString(tiniest, "v"), "v"));
    }

    @Test
    void outOfRangeMessagesNameTheValueTheProblemAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Decimals.requireInRange(new BigDecimal("1e999999999"), "median"));
        assertEquals("median: 1E+999999999 is outside the decimal range: its exponent is 999999999; a decimal has at"
                + " most 100 significant digits, an exponent within -100..100 (a magnitude from 1e-100 to below 1e+101,"
                + " or 0) and a scale within -100..199", e.getMessage());
        String manyDigits = assertThrows(IllegalArgumentException.class,
                () -> Decimals.toPlainString(new BigDecimal("1234567890".repeat(10) + "1"), "max")).getMessage();
        assertTrue(manyDigits.startsWith("max: 1.2345678901234567890...E+100 (101 digits) is outside the decimal range:"
                + " it has 101 significant digits;"), manyDigits);
    }

    @Test
    void parseReadsRfc8259NumbersOnlyAndBoundsTheText() {
        assertEquals(new BigDecimal("-12.50"), Decimals.parse("-12.50", "v"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Decimals.parse("1.", "v")).getMessage()
                .contains("is not a decimal number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Decimals.parse("+1", "v")).getMessage()
                .contains("is not a decimal number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Decimals.parse("1".repeat(400), "v")).getMessage()
                .contains("400 characters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Decimals.parse("1e2147483648", "v")).getMessage()
                .contains("outside the decimal range"));
    }

    /** In-range texts round-trip exactly, through both renderings; out-of-range ones are refused with the range's message. */
    @Property(tries = 2000, seed = "20240613")
    @StatisticsReport(format = Histogram.class)
    void everyTextIsReadExactlyOrRefusedPrecisely(@ForAll("texts") String text) {
        DecimalStrings.collectStatistics(text);
        if (DecimalStrings.inRange(text)) {
            BigDecimal v = Decimals.parse(text, "v");
            assertEquals(new BigDecimal(text), v, "same digits and scale");
            assertEquals(v, Decimals.parse(v.toString(), "v"));
            String plain = Decimals.toPlainString(v, "v");
            assertTrue(plain.length() <= Decimals.MAX_PLAIN_CHARS, plain);
            assertEquals(0, v.compareTo(Decimals.parse(plain, "v")));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Decimals.parse(text, "v"));
            assertTrue(e.getMessage().startsWith("v: ") && e.getMessage().contains(" is outside the decimal range: ")
                    && e.getMessage().endsWith("a scale within -100..199"), e.getMessage());
            assertTrue(e.getMessage().length() < 400, "the message stays short: " + e.getMessage());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> texts() {
        return DecimalStrings.texts();
    }

    @AfterProperty
    void bothSidesOfTheRangeAreCovered() {
        DecimalStrings.checkCoverage();
    }
}
