package org.outcalls.transform.json.internal;

import java.math.BigDecimal;
import java.util.regex.Pattern;
import org.outcalls.api.Decimals;

/**
 * The one way a decimal value is written: exact (no rounding through binary floating point), no
 * trailing zeros, no plus sign, no negative zero, and plain notation unless that needs many zeros.
 *
 * <p>Let the value be ±d₁d₂…dₚ × 10^e with d₁ ≠ 0 and dₚ ≠ 0 (the significant digits), and let
 * a = e + p − 1 (the exponent of the leading digit). The value is written in plain notation
 * ({@code 1000}, {@code 1.5}, {@code 123456789012345678901234567890}, {@code 0.000001}) unless that
 * would take more than 20 zeros after the significant digits (e &gt; 20) or more than 6 zeros
 * between the decimal point and the first significant digit (a &lt; −7 + 1, that is a &lt; −6).
 * Then it is written as the first digit, the other digits after a point if there are any,
 * {@code e}, the sign of a ({@code +} or {@code -}) and a's digits: {@code 1e+21},
 * {@code 1.5e-7}, {@code 1e+999999999}. Zero is {@code 0}.
 *
 * <p>A written number therefore has at most p + 21 characters, whatever its exponent.
 */
final class CanonicalNumber {
    /** RFC 8259 number grammar, for decimals held in JSON strings. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    /** Longest decimal text read from a JSON string (the same bound the parser sets for numbers). */
    static final int MAX_DECIMAL_CHARS = 1000;
    /** Longest value a message shows as it is. */
    private static final int SHOWN_CHARS = 40;

    private CanonicalNumber() {
    }

    static String format(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        String digits = value.unscaledValue().abs().toString();
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        long exponent = -(long) value.scale() + (digits.length() - end);
        digits = digits.substring(0, end);
        int p = digits.length();
        long leading = exponent + p - 1;
        StringBuilder b = new StringBuilder(p + 24);
        if (value.signum() < 0) {
            b.append('-');
        }
        if (exponent <= 20 && leading >= -6) {
            if (exponent >= 0) {
                b.append(digits).append("0".repeat((int) exponent));
            } else if (leading >= 0) {
                b.append(digits, 0, (int) leading + 1).append('.').append(digits, (int) leading + 1, p);
            } else {
                b.append("0.").append("0".repeat((int) (-leading - 1))).append(digits);
            }
        } else {
            b.append(digits.charAt(0));
            if (p > 1) {
                b.append('.').append(digits, 1, p);
            }
            b.append('e').append(leading < 0 ? '-' : '+').append(Math.abs(leading));
        }
        return b.toString();
    }

    /**
     * The value without trailing zeros (zero as {@code 0}), unless its leading digit lies outside
     * the decimal range: then as it is, since dropping zeros could push its scale past what a
     * decimal holds, and its exponent is what the range check reports anyway.
     */
    static BigDecimal withoutTrailingZeros(BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        long exponent = Decimals.exponent(value);
        return exponent < Decimals.MIN_EXPONENT || exponent > Decimals.MAX_EXPONENT ? value : value.stripTrailingZeros();
    }

    /** {@link #format}, cut to its first digits and its exponent when long: for messages. */
    static String abbreviated(BigDecimal value) {
        String text = format(value);
        return text.length() <= SHOWN_CHARS ? text : Decimals.show(value);
    }

    /** Whether the text is an RFC 8259 number of at most {@link #MAX_DECIMAL_CHARS}, whatever its exponent. */
    static boolean isNumberText(String text) {
        return text.length() <= MAX_DECIMAL_CHARS && JSON_NUMBER.matcher(text).matches();
    }

    /**
     * Reads a JSON number's text.
     *
     * @return the value, or null if the text is not an RFC 8259 number, is longer than
     *         {@link #MAX_DECIMAL_CHARS}, or has an exponent outside what a decimal can hold
     */
    static BigDecimal parse(String text) {
        if (!isNumberText(text)) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
