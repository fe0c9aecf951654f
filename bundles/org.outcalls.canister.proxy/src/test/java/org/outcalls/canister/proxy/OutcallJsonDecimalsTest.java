package org.outcalls.canister.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.Test;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.DecimalStrings;
import org.outcalls.api.Decimals;

/** The proxy renders an aggregate's decimals in full and small, and refuses, never expands, one outside the range. */
class OutcallJsonDecimalsTest {

    @Test
    void theExtremesOfTheRangeRenderInFullAndReadBack() {
        BigDecimal widest = new BigDecimal(BigInteger.TEN.pow(299).negate(), Decimals.MAX_SCALE);
        BigDecimal tiniest = new BigDecimal("9".repeat(100) + "e-199");
        ObjectNode o = OutcallJson.value(new AggregateValue(tiniest, 3, widest, tiniest));
        assertEquals(Decimals.MAX_PLAIN_CHARS, o.path("min").asText().length());
        assertEquals(0, widest.compareTo(new BigDecimal(o.path("min").asText())));
        assertEquals("0." + "0".repeat(99) + "9".repeat(100), o.path("median").asText());
        assertEquals(3, o.path("count").asInt());
    }

    @Test
    void aDecimalOutsideTheRangeIsRefusedWithoutBeingRendered() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OutcallJson.decimal(new BigDecimal("1e999999999"), "median"));
        assertTrue(e.getMessage().startsWith("median: 1E+999999999 is outside the decimal range: its exponent is 999999999;"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutcallJson.decimal(new BigDecimal("1E+2147483647"), "max"));
        assertThrows(IllegalArgumentException.class, () -> OutcallJson.decimal(new BigDecimal("1e-999999999"), "min"));
        assertThrows(IllegalArgumentException.class,
                () -> OutcallJson.decimal(new BigDecimal(BigInteger.TEN.pow(100_000), 100_000), "max"),
                "1.000... with 100,000 zeros: a small value with a huge rendering");
    }

    /** Seeded texts: in range, the rendering reads back to the same value and stays small; outside, the refusal says why. */
    @Property(tries = 1500, seed = "20240613")
    void aDecimalRendersExactlyOrIsRefusedPrecisely(@ForAll("texts") String text) {
        DecimalStrings.collectStatistics(text);
        BigDecimal v;
        try {
            v = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return; // beyond what a decimal holds: nothing to render (the readers refuse it, see their tests)
        }
        if (DecimalStrings.inRange(text)) {
            ObjectNode o = OutcallJson.value(new AggregateValue(v, 1, v, v));
            String median = o.path("median").asText();
            assertTrue(median.length() <= Decimals.MAX_PLAIN_CHARS, median);
            assertEquals(0, v.compareTo(Decimals.parse(median, "median")), text + " rendered as " + median);
        } else {
            String e = assertThrows(IllegalArgumentException.class, () -> OutcallJson.decimal(v, "median")).getMessage();
            assertTrue(e.startsWith("median: ") && e.contains(" is outside the decimal range: "), e);
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
