package org.outcalls.quorum.median.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Which share contents are values: ASCII text that, without surrounding spaces, tabs, CRs and LFs,
 * is one RFC 8259 number (what the {@code number} transform writes, such as {@code 123.45} or
 * {@code 1.5e+25}) of at most {@link #MAX_BYTES} bytes, with an exponent a {@link BigDecimal} can
 * hold.
 */
final class Decimals {
    /** Longest content read as a value (the {@code number} transform writes at most 1021 bytes). */
    static final int MAX_BYTES = 2048;

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private Decimals() {
    }

    /** The value, or null if the content is not one. */
    static BigDecimal parse(byte[] content) {
        if (content == null || content.length > MAX_BYTES) {
            return null;
        }
        for (byte b : content) {
            if (b < 0) {
                return null; // not ASCII
            }
        }
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (!JSON_NUMBER.matcher(text).matches()) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null; // an exponent beyond what a decimal's scale can hold
        }
    }

    /** A content for a message: quoted, control characters escaped, at most 40 characters. */
    static String example(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder("\"");
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (++count > 40) {
                b.append("...");
                break;
            }
            if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\u%04x", cp));
            } else if (cp == '"' || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.append('"').toString();
    }
}
