package org.outcalls.api.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and lower-case hex, the forms hashes take in documents. */
final class Hex {
    private Hex() {
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Parses exactly 64 lower-case hex digits (as documents write hashes and keys). */
    static byte[] hash(String hex, String field) throws DocumentException {
        if (!isHash(hex)) {
            throw new DocumentException(field, "must be 64 lower-case hex digits (32 bytes), got \"" + shorten(hex) + "\"");
        }
        return HexFormat.of().parseHex(hex);
    }

    /** For values made in code: a hash that is not 64 lower-case hex digits is a programming error. */
    static String requireHash(String hex, String field) {
        if (!isHash(hex)) {
            throw new IllegalArgumentException(field + ": must be 64 lower-case hex digits, got " + hex);
        }
        return hex;
    }

    static boolean isHash(String hex) {
        if (hex == null || hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) { // a loop, not a stream: replicas check three of these per share
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] sha256(byte[]... parts) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
