package org.outcalls.api.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the replicas' canonical binary encoding (as {@code org.outcalls.crypto.CanonicalReader}
 * does, and exactly as strictly): big-endian integers, u32-length-prefixed bytes and UTF-8,
 * u32-counted lists, fixed 32-byte hashes. Every length is checked against a maximum before
 * anything is allocated; every error names the offset.
 */
final class CanonicalInput {
    /** Reads one element of a list. */
    @FunctionalInterface
    interface ElementReader<T> {
        T read(CanonicalInput in) throws DocumentException;
    }

    private final byte[] buf;
    private final String field;
    private int pos;

    /** @param field what the bytes are, for errors (for example {@code certificate}) */
    CanonicalInput(byte[] bytes, String field) {
        this.buf = bytes;
        this.field = field;
    }

    int offset() {
        return pos;
    }

    DocumentException error(int at, String message) {
        return new DocumentException(field, message + " (at byte " + at + ")");
    }

    private void need(int n, String what) throws DocumentException {
        if (n < 0 || buf.length - pos < n) {
            throw error(pos, "truncated " + what + ": need " + n + " bytes, have " + (buf.length - pos));
        }
    }

    int u8() throws DocumentException {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    boolean bool() throws DocumentException {
        int at = pos;
        int v = u8();
        if (v > 1) {
            throw error(at, "boolean must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    int u16() throws DocumentException {
        need(2, "u16");
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int i32() throws DocumentException {
        need(4, "i32");
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** An unsigned 32-bit value within {@code [0, max]}. */
    int u32(int max, String what) throws DocumentException {
        int at = pos;
        int v = i32();
        if (v < 0 || v > max) {
            throw error(at, what + " must be 0.." + max + ", got " + Integer.toUnsignedString(v));
        }
        return v;
    }

    /** A signed 64-bit value within {@code [min, max]}. */
    long i64(long min, long max, String what) throws DocumentException {
        need(8, "i64");
        int at = pos;
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        if (v < min || v > max) {
            throw error(at, what + " must be " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    byte[] fixed(int n) throws DocumentException {
        need(n, n + " fixed bytes");
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    /** A 32-byte hash, as lower-case hex. */
    String hash() throws DocumentException {
        return Hex.of(fixed(32));
    }

    byte[] bytes(int maxLength, String what) throws DocumentException {
        int n = u32(maxLength, what + " length");
        need(n, what);
        return fixed(n);
    }

    /** Length-prefixed UTF-8 of at most {@code maxBytes}; malformed UTF-8 is an error. */
    String string(int maxBytes, String what) throws DocumentException {
        int at = pos;
        byte[] b = bytes(maxBytes, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error(at, what + " is not valid UTF-8");
        }
    }

    <T> List<T> list(int maxCount, String what, ElementReader<T> each) throws DocumentException {
        int n = u32(maxCount, what + " count");
        List<T> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            out.add(each.read(this));
        }
        return out;
    }

    /** The bytes read from {@code from} up to here (what a signature covers). */
    byte[] since(int from) {
        return Arrays.copyOfRange(buf, from, pos);
    }

    /** Fails unless every byte was read: trailing bytes would make an encoding non-canonical. */
    void expectEnd() throws DocumentException {
        if (pos != buf.length) {
            throw error(pos, (buf.length - pos) + " unexpected trailing bytes");
        }
    }
}
