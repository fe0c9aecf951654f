package org.outcalls.api;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The range of the decimals Outcalls agrees on and delivers (the values of the {@code number}
 * transform and of the {@code median} policy, {@link AggregateValue}):
 * <ul>
 *   <li>at most {@value #MAX_DIGITS} significant digits (trailing zeros of the unscaled value do
 *       not count);</li>
 *   <li>a leading digit whose exponent lies within {@value #MIN_EXPONENT}..{@value #MAX_EXPONENT}:
 *       a non-zero magnitude from 10<sup>−100</sup> to below 10<sup>101</sup>;</li>
 *   <li>a scale (digits after the point) within {@value #MIN_SCALE}..{@value #MAX_SCALE}, which
 *       every value of the first two rules written without extra trailing zeros has, and which
 *       bounds the zeros a representation such as {@code 0E-999999999} or {@code 1.000…0} may carry.</li>
 * </ul>
 *
 * <p>Why: a decimal's text can be short while its plain rendering is huge ({@code 1e999999999} is
 * 11 characters and a billion digits), so the size of agreed data must never be trusted. Within
 * this range every rendering is small — {@link BigDecimal#toPlainString()} at most
 * {@value #MAX_PLAIN_CHARS} characters, {@link BigDecimal#toString()} no longer — and both
 * renderings of an in-range value read back in range, while prices and amounts of real APIs stay
 * far inside it (a 256-bit token amount in its smallest unit has 78 digits; a price of
 * 10<sup>−30</sup> is unheard of).
 *
 * <p>Deterministic, and cheap for any value however large its exponent: no rendering is made to
 * check one.
 */
public final class Decimals {
    /** Most significant digits of a decimal. */
    public static final int MAX_DIGITS = 100;
    /** Smallest exponent of a non-zero decimal's leading digit. */
    public static final int MIN_EXPONENT = -100;
    /** Largest exponent of a non-zero decimal's leading digit. */
    public static final int MAX_EXPONENT = 100;
    /** Smallest scale: a digit at 10<sup>100</sup> is the last one written before the point. */
    public static final int MIN_SCALE = -MAX_EXPONENT;
    /** Largest scale: the smallest exponent with the most digits (−0.00…01234…, 100 digits from 10<sup>−100</sup>). */
    public static final int MAX_SCALE = MAX_DIGITS - 1 - MIN_EXPONENT;
    /**
     * Longest {@link BigDecimal#toPlainString()} of an in-range decimal: a sign, 101 digits before
     * the point, the point and {@value #MAX_SCALE} digits after it.
     */
    public static final int MAX_PLAIN_CHARS = 1 + (MAX_EXPONENT + 1) + 1 + MAX_SCALE;
    /** Longest text {@link #parse} reads: any rendering of an in-range value fits. */
    public static final int MAX_TEXT_CHARS = MAX_PLAIN_CHARS + 16;

    /** RFC 8259 number grammar: what the {@code number} transform writes and {@link #parse} reads. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
    /** Most digits of a value a message shows. */
    private static final int SHOWN_DIGITS = 20;
    private static final String RANGE = "a decimal has at most " + MAX_DIGITS + " significant digits, an exponent within "
            + MIN_EXPONENT + ".." + MAX_EXPONENT + " (a magnitude from 1e" + MIN_EXPONENT + " to below 1e+"
            + (MAX_EXPONENT + 1) + ", or 0) and a scale within " + MIN_SCALE + ".." + MAX_SCALE;

    private Decimals() {
    }

    /** Whether the value lies within the range. */
    public static boolean inRange(BigDecimal value) {
        return problem(value).isEmpty();
    }

    /**
     * Why a value lies outside the range, for example "its exponent is 999999999; a decimal has at
     * most 100 significant digits, ...", or empty if it lies within.
     */
    public static Optional<String> problem(BigDecimal value) {
        long exponent = exponent(value);
        if (value.signum() != 0 && (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT)) {
            return Optional.of("its exponent is " + exponent + "; " + RANGE);
        }
        if (value.scale() < MIN_SCALE || value.scale() > MAX_SCALE) {
            return Optional.of("its scale is " + value.scale() + "; " + RANGE);
        }
        // with exponent and scale in range the unscaled value has at most 300 digits: stripping is cheap
        int digits = value.precision() <= MAX_DIGITS ? value.precision() : value.stripTrailingZeros().precision();
        if (digits > MAX_DIGITS) {
            return Optional.of("it has " + digits + " significant digits; " + RANGE);
        }
        return Optional.empty();
    }

    /**
     * The value, if it lies within the range.
     *
     * @param what names the value in the message, for example {@code "median"}
     * @throws IllegalArgumentException "what: 1E+999999999 is outside the decimal range: its exponent is ..."
     */
    public static BigDecimal requireInRange(BigDecimal value, String what) {
        Optional<String> problem = problem(value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(what + ": " + show(value) + " is outside the decimal range: " + problem.get());
        }
        return value;
    }

    /**
     * The plain rendering ({@link BigDecimal#toPlainString()}, at most {@value #MAX_PLAIN_CHARS}
     * characters) of an in-range value: what a canister shows a person instead of calling
     * {@code toPlainString} on a value whose size it has not checked.
     *
     * @throws IllegalArgumentException if the value lies outside the range (message as {@link #requireInRange})
     */
    public static String toPlainString(BigDecimal value, String what) {
        return requireInRange(value, what).toPlainString();
    }

    /**
     * Reads a decimal written as one RFC 8259 number ({@code 123.45}, {@code -0.5}, {@code 1.5e+25})
     * and checks its range.
     *
     * @param what names the value in the message
     * @throws IllegalArgumentException naming {@code what}: longer than {@value #MAX_TEXT_CHARS}
     *                                  characters, not a number, or outside the range
     */
    public static BigDecimal parse(String text, String what) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException(what + ": a text of " + text.length() + " characters is not a decimal in"
                    + " range; at most " + MAX_TEXT_CHARS + " characters are read");
        }
        if (!JSON_NUMBER.matcher(text).matches()) {
            throw new IllegalArgumentException(what + ": \"" + abbreviate(text) + "\" is not a decimal number (expected an RFC 8259"
                    + " number such as 123.45 or 1.5e+25)");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": " + abbreviate(text) + " is outside the decimal range: its exponent is"
                    + " beyond what a decimal can hold; " + RANGE);
        }
        return requireInRange(value, what);
    }

    /** The exponent of the leading digit, {@code precision − 1 − scale} (for zero, {@code −scale}), exact for any scale. */
    public static long exponent(BigDecimal value) {
        return (long) value.precision() - 1 - value.scale();
    }

    /**
     * A short text of any value, for messages: {@link BigDecimal#toString()} (scientific notation
     * for large exponents, so never long because of them), with its first {@value #SHOWN_DIGITS}
     * digits only when it has more.
     */
    public static String show(BigDecimal value) {
        if (value.precision() <= SHOWN_DIGITS) {
            return value.toString();
        }
        // from the digits, not BigDecimal.round, which fails for scales near the limits of an int
        String digits = value.unscaledValue().abs().toString();
        long exponent = exponent(value);
        return (value.signum() < 0 ? "-" : "") + digits.charAt(0) + "." + digits.substring(1, SHOWN_DIGITS) + "...E"
                + (exponent < 0 ? "" : "+") + exponent + " (" + value.precision() + " digits)";
    }

    /** A text for a message: its first and last characters when it is long. */
    private static String abbreviate(String text) {
        return text.length() <= 2 * SHOWN_DIGITS ? text
                : text.substring(0, SHOWN_DIGITS) + "..." + text.substring(text.length() - SHOWN_DIGITS / 2);
    }
}
