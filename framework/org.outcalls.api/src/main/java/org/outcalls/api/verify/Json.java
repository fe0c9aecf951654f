package org.outcalls.api.verify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259), so the verifier needs nothing beyond the JDK: objects
 * become {@link Map}s (a repeated key is an error), arrays {@link List}s, numbers {@link BigDecimal}s,
 * {@code null} {@link #NULL}. Nesting is bounded; anything after the value is an error.
 */
final class Json {
    /** JSON's {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    private static final int MAX_DEPTH = 64;

    private final String text;
    private final String what;
    private int pos;

    private Json(String text, String what) {
        this.text = text;
        this.what = what;
    }

    /** @param what names the document in errors (for example {@code document}) */
    static Object parse(String text, String what) throws DocumentException {
        Json j = new Json(text, what);
        j.space();
        Object v = j.value(0, "");
        j.space();
        if (j.pos != text.length()) {
            throw j.error("unexpected text after the JSON value");
        }
        return v;
    }

    private DocumentException error(String message) {
        return new DocumentException(what, "not valid JSON: " + message + " at offset " + pos);
    }

    private void space() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    /** @param path where the value is, for errors ({@code request.headers[2]}; empty at the top) */
    private Object value(int depth, String path) throws DocumentException {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth, path);
            case '[' -> array(depth, path);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth, String path) throws DocumentException {
        Map<String, Object> out = new LinkedHashMap<>();
        pos++;
        space();
        if (peek('}')) {
            return out;
        }
        while (true) {
            space();
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            String key = string();
            space();
            expect(':');
            space();
            String field = path.isEmpty() ? key : path + "." + key;
            Object v = value(depth + 1, field);
            if (out.containsKey(key)) {
                // two values for one field: which one a reader takes is up to the reader, so neither proves anything
                throw new DocumentException(Hex.shorten(field), "appears twice");
            }
            out.put(key, v);
            space();
            if (peek('}')) {
                return out;
            }
            expect(',');
        }
    }

    private List<Object> array(int depth, String path) throws DocumentException {
        List<Object> out = new ArrayList<>();
        pos++;
        space();
        if (peek(']')) {
            return out;
        }
        while (true) {
            space();
            out.add(value(depth + 1, path + "[" + out.size() + "]"));
            space();
            if (peek(']')) {
                return out;
            }
            expect(',');
        }
    }

    private boolean peek(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws DocumentException {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private Object literal(String word, Object v) throws DocumentException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character");
        }
        pos += word.length();
        return v;
    }

    private String string() throws DocumentException {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(unicodeEscape());
                default -> throw error("unknown escape \\" + e);
            }
        }
    }

    private char unicodeEscape() throws DocumentException {
        if (pos + 4 > text.length()) {
            throw error("short \\u escape");
        }
        try {
            char c = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
            pos += 4;
            return c;
        } catch (NumberFormatException e) {
            throw error("bad \\u escape");
        }
    }

    private BigDecimal number() throws DocumentException {
        int start = pos;
        peek('-');
        if (peek('0')) {
            // no leading zeros
        } else if (!digits()) {
            throw error("unexpected character");
        }
        if (peek('.') && !digits()) {
            throw error("digits expected after '.'");
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (!peek('+')) {
                peek('-');
            }
            if (!digits()) {
                throw error("digits expected in the exponent");
            }
        }
        if (pos - start > 64) {
            throw error("number longer than 64 characters");
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }
}
