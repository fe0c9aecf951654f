package org.outcalls.quorum.median.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.outcalls.api.Decimals;

/**
 * What a share's content is to the median: a value — ASCII text that, without surrounding spaces,
 * tabs, CRs and LFs, is one RFC 8259 number (what the {@code number} transform writes, such as
 * {@code 123.45} or {@code 1.5e+25}) of at most {@link #MAX_BYTES} bytes, within the
 * {@linkplain Decimals decimal range} — a decimal outside that range, or not a decimal at all.
 * The honest {@code number} transform never signs a decimal outside the range, so such a share
 * comes from a faulty replica: it is never counted as a value, on every replica alike.
 */
final class ShareValues {
    /** Longest content read (the {@code number} transform writes at most 121 bytes). */
    static final int MAX_BYTES = 2048;

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    enum Kind { VALUE, OUT_OF_RANGE, NOT_DECIMAL }

    /** @param value the decimal, for {@link Kind#VALUE} only */
    record Read(Kind kind, BigDecimal value) {
        static final Read NOT_DECIMAL = new Read(Kind.NOT_DECIMAL, null);
        static final Read OUT_OF_RANGE = new Read(Kind.OUT_OF_RANGE, null);
    }

    private ShareValues() {
    }

    static Read read(byte[] content) {
        if (content == null || content.length > MAX_BYTES) {
            return Read.NOT_DECIMAL;
        }
        for (byte b : content) {
            if (b < 0) {
                return Read.NOT_DECIMAL; // not ASCII
            }
        }
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (!JSON_NUMBER.matcher(text).matches()) {
            return Read.NOT_DECIMAL;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return Read.OUT_OF_RANGE; // an exponent beyond what a decimal's scale can hold
        }
        return Decimals.inRange(value) ? new Read(Kind.VALUE, value) : Read.OUT_OF_RANGE;
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
