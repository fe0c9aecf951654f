package org.outcalls.testkit.origin;

import java.nio.charset.StandardCharsets;

/**
 * Bodies a hostile origin answers with, for {@link ScriptedOrigin} routes: each is small to write
 * down and expensive to handle carelessly. Serve them to some replicas and not others, and check
 * that the honest answer still wins, the hostile one becomes a precise reject, and no replica
 * halts or runs out of memory.
 */
public final class HostileBodies {
    private HostileBodies() {
    }

    /** {@code {"<key>":1e999999999}}: a number of 11 characters whose plain rendering has a billion digits. */
    public static String hugeExponent(String key) {
        return "{\"" + key + "\":1e999999999}";
    }

    /** {@code {"<key>":1e-999999999}}: as small as {@link #hugeExponent} is large. */
    public static String tinyExponent(String key) {
        return "{\"" + key + "\":1e-999999999}";
    }

    /** {@code {"<key>":123…}} with {@code digits} significant digits. */
    public static String longDigits(String key, int digits) {
        requirePositive("digits", digits);
        StringBuilder b = new StringBuilder(digits + key.length() + 5).append("{\"").append(key).append("\":");
        for (int i = 0; i < digits; i++) {
            b.append((char) ('1' + i % 9));
        }
        return b.append('}').toString();
    }

    /** {@code {"a":{"a":…{"a":1}…}}} nested {@code depth} objects deep. */
    public static String deepNesting(int depth) {
        requirePositive("depth", depth);
        StringBuilder b = new StringBuilder(depth * 6 + 1);
        b.append("{\"a\":".repeat(depth)).append('1').append("}".repeat(depth));
        return b.toString();
    }

    /** One JSON object with {@code keys} distinct keys {@code "k0"…}, each with value 0. */
    public static String manyKeys(int keys) {
        requirePositive("keys", keys);
        StringBuilder b = new StringBuilder(keys * 8).append('{');
        for (int i = 0; i < keys; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
        }
        return b.append('}').toString();
    }

    /**
     * {@code length} a's and no b: a regex such as {@code (a+)+\1b} tries every way to split them
     * (2<sup>length</sup>) before it fails.
     */
    public static String backtracking(int length) {
        requirePositive("length", length);
        return "a".repeat(length);
    }

    /** {@code bytes} bytes of {@code x}: larger than a request's {@code max_response_bytes} allows. */
    public static byte[] oversized(int bytes) {
        requirePositive("bytes", bytes);
        return "x".repeat(bytes).getBytes(StandardCharsets.US_ASCII);
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + ": at least 1, was " + value);
        }
    }
}
