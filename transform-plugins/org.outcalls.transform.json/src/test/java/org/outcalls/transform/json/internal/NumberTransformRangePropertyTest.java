package org.outcalls.transform.json.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.outcalls.api.DecimalStrings;
import org.outcalls.api.Decimals;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.TransformException;

/** The {@code number} transform at the edges of the decimal range, over seeded random decimal texts. */
class NumberTransformRangePropertyTest {
    private final NumberTransform number = new NumberTransform();

    private String apply(String body) throws TransformException {
        return new String(number.apply(HttpResponse.of(200, List.of(), body.getBytes(UTF_8)), "/p".getBytes(UTF_8)).body(),
                UTF_8);
    }

    /**
     * A value in range (as written without trailing zeros) comes out as the same value, canonical and
     * in range; one out of range is a transform error that says so, whether it came as a JSON number
     * or in a string.
     */
    @Property(tries = 1500, seed = "20240613")
    void aValueIsWrittenExactlyOrRefusedPrecisely(@ForAll("texts") String text) {
        DecimalStrings.collectStatistics(text);
        for (String body : new String[] {"{\"p\":" + text + "}", "{\"p\":\"" + text + "\"}"}) {
            if (DecimalStrings.canonicalInRange(text)) {
                String out = assertDoesNotThrow(body);
                BigDecimal written = Decimals.parse(out, "out");
                assertEquals(0, new BigDecimal(text).compareTo(written), text + " became " + out);
                assertEquals(CanonicalNumber.format(written), out, "canonical");
                assertTrue(out.length() <= Decimals.MAX_DIGITS + 21, out);
            } else {
                String e = assertThrows(TransformException.class, () -> apply(body), body).getMessage();
                assertTrue(e.startsWith("number: the value at \"/p\" is ") && e.contains(", outside the decimal range: ")
                        // a text whose exponent exceeds what a decimal holds is refused while it is read
                        || e.contains("has an exponent too large to represent")
                        || e.contains(", outside the decimal range: its exponent is beyond ±2147483647"),
                        e);
                assertTrue(e.length() < 400, e);
            }
        }
    }

    private String assertDoesNotThrow(String body) {
        try {
            return apply(body);
        } catch (TransformException e) {
            throw new AssertionError(body + ": " + e.getMessage(), e);
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
