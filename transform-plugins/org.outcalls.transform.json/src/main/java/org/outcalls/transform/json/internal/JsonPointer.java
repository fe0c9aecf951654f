package org.outcalls.transform.json.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON Pointer: {@code ""} is the whole document; otherwise {@code /}-separated
 * reference tokens in which {@code ~1} stands for {@code /} and {@code ~0} for {@code ~}.
 *
 * @param text   the pointer as written
 * @param tokens the unescaped reference tokens
 */
record JsonPointer(String text, List<String> tokens) {

    JsonPointer {
        tokens = List.copyOf(tokens);
    }

    /** @throws IllegalArgumentException with a message that says what is wrong with the text */
    static JsonPointer parse(String text) {
        if (text.isEmpty()) {
            return new JsonPointer(text, List.of());
        }
        if (text.charAt(0) != '/') {
            throw new IllegalArgumentException(Text.quote(text)
                    + " is not a JSON Pointer: it must start with \"/\" (RFC 6901)");
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '/') {
                tokens.add(token.toString());
                token.setLength(0);
                continue;
            }
            char c = text.charAt(i);
            if (c != '~') {
                token.append(c);
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (next != '0' && next != '1') {
                throw new IllegalArgumentException(Text.quote(text) + " is not a JSON Pointer: \"~\" at index " + i
                        + " must be followed by 0 or 1 (RFC 6901 writes \"~\" as ~0 and \"/\" as ~1)");
            }
            token.append(next == '0' ? '~' : '/');
            i++;
        }
        return new JsonPointer(text, tokens);
    }

    /** The pointer to the first {@code count} tokens, as text. */
    String prefix(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append('/').append(tokens.get(i).replace("~", "~0").replace("/", "~1"));
        }
        return b.toString();
    }

    /**
     * The array index a token names, or -1 if it is not one: RFC 6901 allows {@code 0} or digits
     * without a leading zero. Indices past {@link Integer#MAX_VALUE} map to it (out of any range).
     */
    static int arrayIndex(String token) {
        if (token.isEmpty() || token.length() > 1 && token.charAt(0) == '0') {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = Math.min(Integer.MAX_VALUE, value * 10 + (c - '0'));
        }
        return (int) value;
    }
}
