package org.outcalls.transform.json.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.transform.TransformException;

/**
 * Random documents, each written in two independently chosen but equivalent ways (member order,
 * whitespace, escapes, number spellings): the transform must give byte-identical output for both,
 * and a different output once a selected value changes. Seeded, so a failure repeats.
 */
class CanonicalEquivalenceTest {
    private static final int DOCUMENTS = 400;
    private final JsonTransform json = new JsonTransform();

    @Test
    void equivalentSpellingsGiveIdenticalBytes() throws TransformException {
        Random random = new Random(20261122);
        for (int i = 0; i < DOCUMENTS; i++) {
            Map<String, Object> doc = object(random, 0);
            // a context line cannot hold a line feed, nor end in a carriage return
            List<String> keys = doc.keySet().stream().filter(k -> k.indexOf('\n') < 0 && !k.endsWith("\r")).toList();
            String pointers = String.join("\n", keys.stream().map(k -> "/" + k.replace("~", "~0").replace("/", "~1")).toList());
            if (keys.isEmpty()) {
                continue;
            }
            byte[] a = run(write(doc, new Random(random.nextLong())), pointers);
            byte[] b = run(write(doc, new Random(random.nextLong())), pointers);
            assertArrayEquals(a, b, "document " + i + ": " + new String(a, UTF_8) + " vs " + new String(b, UTF_8));

            // change one selected value: the output must change
            String key = keys.get(random.nextInt(keys.size()));
            Map<String, Object> changed = new LinkedHashMap<>(doc);
            changed.put(key, mutate(doc.get(key)));
            byte[] c = run(write(changed, new Random(random.nextLong())), pointers);
            assertFalse(Arrays.equals(a, c), "document " + i + ": changing " + key + " left " + new String(a, UTF_8));
        }
    }

    private byte[] run(String body, String pointers) throws TransformException {
        return json.apply(HttpResponse.of(200, List.of(), body.getBytes(UTF_8)), pointers.getBytes(UTF_8)).body();
    }

    // ---- a random document model: LinkedHashMap, List, String, BigDecimal, Boolean, null ----

    private static Object value(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 4 : 6);
        switch (kind) {
            case 0: return string(r, true);
            case 1: return number(r);
            case 2: return r.nextBoolean();
            case 3: return r.nextInt(4) == 0 ? null : number(r);
            case 4: return object(r, depth + 1);
            default:
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    list.add(value(r, depth + 1));
                }
                return list;
        }
    }

    private static Map<String, Object> object(Random r, int depth) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            o.put(string(r, false), value(r, depth));
        }
        return o;
    }

    /**
     * Text mixing ASCII, controls, quotes, backslashes, BMP characters, surrogate pairs and (in
     * values only: the parser rejects them in member names) unpaired surrogates.
     */
    private static String string(Random r, boolean loneSurrogates) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            switch (r.nextInt(loneSurrogates ? 8 : 7)) {
                case 0 -> b.append((char) r.nextInt(0x20));
                case 1 -> b.append("\"\\/~".charAt(r.nextInt(4)));
                case 2 -> b.append((char) (0xa0 + r.nextInt(0x700)));
                case 3 -> b.appendCodePoint(0x1f600 + r.nextInt(0x50));
                case 4 -> b.append((char) (0xe000 + r.nextInt(0x1f00)));
                case 7 -> b.append((char) (0xd800 + r.nextInt(0x800)));
                default -> b.append((char) ('a' + r.nextInt(26)));
            }
        }
        return b.toString();
    }

    private static BigDecimal number(Random r) {
        BigInteger unscaled = new BigInteger(1 + r.nextInt(100), r);
        if (r.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        return new BigDecimal(unscaled, r.nextInt(61) - 30);
    }

    private static Object mutate(Object v) {
        if (v instanceof BigDecimal d) {
            return d.add(BigDecimal.ONE.movePointLeft(d.scale() + 1));
        }
        if (v instanceof String s) {
            return s + "x";
        }
        if (v instanceof Boolean b) {
            return !b;
        }
        if (v == null) {
            return Boolean.FALSE;
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l);
            copy.add(null);
            return copy;
        }
        Map<String, Object> copy = new LinkedHashMap<>(castMap(v));
        copy.put("added" + copy.size(), BigDecimal.ONE);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object v) {
        return (Map<String, Object>) v;
    }

    // ---- one of many equivalent spellings ----

    private static String write(Object v, Random r) {
        StringBuilder b = new StringBuilder();
        write(v, r, b);
        return b.toString();
    }

    private static void write(Object v, Random r, StringBuilder b) {
        space(r, b);
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean bool) {
            b.append(bool);
        } else if (v instanceof BigDecimal d) {
            b.append(spell(d, r));
        } else if (v instanceof String s) {
            quote(s, r, b);
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    space(r, b);
                    b.append(',');
                }
                write(l.get(i), r, b);
            }
            space(r, b);
            b.append(']');
        } else {
            List<Map.Entry<String, Object>> entries = new ArrayList<>(castMap(v).entrySet());
            Collections.shuffle(entries, r);
            b.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    space(r, b);
                    b.append(',');
                }
                space(r, b);
                quote(entries.get(i).getKey(), r, b);
                space(r, b);
                b.append(':');
                write(entries.get(i).getValue(), r, b);
            }
            space(r, b);
            b.append('}');
        }
        space(r, b);
    }

    private static void space(Random r, StringBuilder b) {
        for (int i = r.nextInt(3); i > 0; i--) {
            b.append(" \t\r\n".charAt(r.nextInt(4)));
        }
    }

    private static void quote(String s, Random r, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            boolean mustEscape = c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c);
            if (pair) {
                // UTF-8 has the pair as one 4-byte character, or both halves are escapes
                if (r.nextBoolean()) {
                    b.append(c).append(s.charAt(++i));
                } else {
                    b.append(String.format("\\u%04x\\u%04X", (int) c, (int) s.charAt(++i)));
                }
            } else if (mustEscape || r.nextInt(3) == 0) {
                String shortForm = switch (c) {
                    case '"' -> "\\\"";
                    case '\\' -> "\\\\";
                    case '/' -> "\\/";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> null;
                };
                if (shortForm != null && r.nextBoolean()) {
                    b.append(shortForm);
                } else {
                    String hex = String.format("%04x", (int) c);
                    b.append("\\u").append(r.nextBoolean() ? hex : hex.toUpperCase());
                }
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /** The same value as plain digits, with extra zeros, or as mantissa and exponent in several styles. */
    private static String spell(BigDecimal d, Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return d.toString(); // Java's form, e.g. 1.2E+5 or 0.00012
            case 1: {
                BigDecimal widened = d.setScale(Math.max(d.scale(), 0) + r.nextInt(4));
                return widened.toPlainString();
            }
            case 2: {
                int extraZeros = r.nextInt(3);
                BigInteger unscaled = d.unscaledValue().multiply(BigInteger.TEN.pow(extraZeros));
                long exponent = -(long) d.scale() - extraZeros;
                String e = r.nextBoolean() ? "e" : "E";
                String sign = exponent < 0 ? "-" : r.nextBoolean() ? "+" : "";
                return unscaled + e + sign + Math.abs(exponent);
            }
            default: {
                // one digit before the point
                String digits = d.unscaledValue().abs().toString();
                long exponent = -(long) d.scale() + digits.length() - 1;
                String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
                return (d.signum() < 0 ? "-" : "") + mantissa + "e" + exponent;
            }
        }
    }
}
