package org.outcalls.transform.json.internal;

import java.util.Map;
import org.outcalls.transform.json.internal.JsonValue.JArray;
import org.outcalls.transform.json.internal.JsonValue.JNumber;
import org.outcalls.transform.json.internal.JsonValue.JObject;
import org.outcalls.transform.json.internal.JsonValue.JString;
import org.outcalls.transform.json.internal.JsonValue.Literal;

/**
 * Writes JSON canonically: no whitespace; object members sorted by name in UTF-16 code unit order
 * (as RFC 8785 does); numbers as {@link CanonicalNumber}; strings with the minimal escaping of
 * RFC 8785 / ECMAScript {@code JSON.stringify}: {@code \"} and {@code \\}, {@code \b \f \n \r \t},
 * a backslash-u escape with four lower-case hex digits for the other characters below U+0020 and for an
 * unpaired surrogate, and every other character as itself (in UTF-8).
 */
final class CanonicalJson {
    private CanonicalJson() {
    }

    static void write(JsonValue value, StringBuilder out) {
        if (value instanceof JObject o) {
            requireComplete(o.complete());
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof JArray a) {
            requireComplete(a.complete());
            out.append('[');
            for (int i = 0; i < a.elements().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(a.elements().get(i), out);
            }
            out.append(']');
        } else if (value instanceof JString s) {
            string(s.value(), out);
        } else if (value instanceof JNumber n) {
            out.append(CanonicalNumber.format(n.value()));
        } else {
            out.append(((Literal) value).text());
        }
    }

    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        hex(c, out);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        hex(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void hex(char c, StringBuilder out) {
        String h = Integer.toHexString(c);
        out.append("\\u").append("0".repeat(4 - h.length())).append(h);
    }

    private static void requireComplete(boolean complete) {
        if (!complete) {
            // A partial container is only ever a way to a selected value; writing one is a bug here.
            throw new IllegalStateException("a partially read container cannot be written");
        }
    }
}
