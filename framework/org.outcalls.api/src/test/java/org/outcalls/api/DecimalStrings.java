package org.outcalls.api;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * For property tests of every layer that checks the {@linkplain Decimals decimal range}: random
 * decimal texts in RFC 8259 number syntax, dense around the range's edges, and an oracle that says
 * from the text alone (digit counting, never {@link java.math.BigDecimal}) whether a text's value
 * lies within the range. Shipped to the other modules in this module's test-jar.
 */
public final class DecimalStrings {
    private DecimalStrings() {
    }

    /**
     * Texts such as {@code -0.00120}, {@code 99999e+3}, {@code 1E-100}, {@code 7e2147483648}: up to
     * 130 digits around the digit bound, exponents clustered near the range's bounds, near the
     * limits of an {@code int} and at small values.
     */
    public static Arbitrary<String> texts() {
        Arbitrary<String> sign = Arbitraries.of("", "-");
        Arbitrary<String> integer = Arbitraries.oneOf(Arbitraries.just("0"),
                Combinators.combine(Arbitraries.chars().range('1', '9'), digits(0, 110)).as((d, rest) -> d + rest));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""), digits(1, 110).map(d -> "." + d));
        Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"), exponentDigits())
                        .as((e, s, d) -> e + s + d));
        return Combinators.combine(sign, integer, fraction, exponent).as((s, i, f, e) -> s + i + f + e);
    }

    private static Arbitrary<String> digits(int min, int max) {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(min, Math.min(max, 8))),
                        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(Math.max(min, 85), max)))
                .flatMap(n -> Arbitraries.strings().withCharRange('0', '9').ofLength(n));
    }

    private static Arbitrary<String> exponentDigits() {
        Arbitrary<Long> magnitude = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 8)),
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(60, 220)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(999_999_000L, 999_999_999L)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(Integer.MAX_VALUE - 2L, Integer.MAX_VALUE + 2L)));
        return Combinators.combine(Arbitraries.of("", "0", "00"), magnitude).as((zeros, m) -> zeros + m);
    }

    /** Counts, for {@link #checkCoverage}, on which side of the range a tried text lies. */
    public static void collectStatistics(String text) {
        Statistics.label("range").collect(inRange(text) ? "in range" : "out of range");
    }

    /** Fails unless at least a fifth of the tried texts lay on each side of the range. */
    public static void checkCoverage() {
        Statistics.label("range").coverage(c -> {
            c.check("in range").percentage(p -> p >= 20);
            c.check("out of range").percentage(p -> p >= 20);
        });
    }

    /** Whether the text's value, as written (its scale included), lies within the range. */
    public static boolean inRange(String text) {
        Parts p = Parts.of(text);
        BigInteger scale = BigInteger.valueOf(p.fractionDigits).subtract(p.exponent);
        return canonicalInRange(text) && scale.compareTo(BigInteger.valueOf(Decimals.MIN_SCALE)) >= 0
                && scale.compareTo(BigInteger.valueOf(Decimals.MAX_SCALE)) <= 0;
    }

    /**
     * Whether the text's value, without trailing zeros (as the {@code number} transform writes it),
     * lies within the range: at most 100 significant digits and, unless it is zero, a leading digit
     * at an exponent within −100..100.
     */
    public static boolean canonicalInRange(String text) {
        Parts p = Parts.of(text);
        if (!p.representable()) {
            return false; // a BigDecimal holds an exponent and a scale within an int only, so 0e2147483648 is refused too
        }
        String digits = p.mantissa.replaceFirst("^0+", "");
        if (digits.isEmpty()) {
            return true; // zero is written "0"
        }
        BigInteger leading = p.exponentOfLeading(digits.length());
        return digits.replaceFirst("0+$", "").length() <= Decimals.MAX_DIGITS
                && leading.compareTo(BigInteger.valueOf(Decimals.MIN_EXPONENT)) >= 0
                && leading.compareTo(BigInteger.valueOf(Decimals.MAX_EXPONENT)) <= 0;
    }

    /** A text split into its digits (integer and fraction, leading zeros kept) and exponent. */
    private record Parts(String mantissa, int fractionDigits, BigInteger exponent) {
        static Parts of(String text) {
            String t = text.startsWith("-") ? text.substring(1) : text;
            int e = Math.max(t.indexOf('e'), t.indexOf('E'));
            String number = e < 0 ? t : t.substring(0, e);
            BigInteger exponent = e < 0 ? BigInteger.ZERO : new BigInteger(t.substring(e + 1).replace("+", ""));
            int point = number.indexOf('.');
            String fraction = point < 0 ? "" : number.substring(point + 1);
            String integer = point < 0 ? number : number.substring(0, point);
            return new Parts(integer + fraction, fraction.length(), exponent);
        }

        /** Whether the written exponent and the scale (fraction digits − exponent) both fit an int. */
        boolean representable() {
            BigInteger scale = BigInteger.valueOf(fractionDigits).subtract(exponent);
            return fitsInt(exponent) && fitsInt(scale);
        }

        private static boolean fitsInt(BigInteger v) {
            return v.bitLength() < 32;
        }

        /** precision − 1 − scale, where scale = fraction digits − exponent. */
        BigInteger exponentOfLeading(int precision) {
            return BigInteger.valueOf(precision - 1L - fractionDigits).add(exponent);
        }
    }
}
