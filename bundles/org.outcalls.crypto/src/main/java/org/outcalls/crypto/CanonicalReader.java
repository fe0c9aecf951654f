package org.outcalls.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the encoding of {@link CanonicalWriter}. Peers send these bytes, so every length and
 * count is checked against a caller-given maximum before anything is allocated, and every error
 * is a {@link DecodeException} with the offset, never a runtime exception.
 */
public final class CanonicalReader {
    /** Reads one element of a list. */
    @FunctionalInterface
    public interface ElementReader<T> {
        T read(CanonicalReader r) throws DecodeException;
    }

    private final byte[] buf;
    private final int end;
    private int pos;

    public CanonicalReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public CanonicalReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        this.buf = bytes;
        this.pos = offset;
        this.end = offset + length;
    }

    public int offset() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws DecodeException {
        if (n < 0 || end - pos < n) {
            throw new DecodeException(pos, "truncated " + what + ": need " + n + " bytes, have " + (end - pos));
        }
    }

    public int u8() throws DecodeException {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    public boolean bool() throws DecodeException {
        int at = pos;
        int v = u8();
        if (v > 1) {
            throw new DecodeException(at, "boolean must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    public int u16() throws DecodeException {
        need(2, "u16");
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public int i32() throws DecodeException {
        need(4, "i32");
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** An unsigned 32-bit value that must lie in {@code [0, max]}. */
    public int u32(int max, String what) throws DecodeException {
        int at = pos;
        int v = i32();
        if (v < 0 || v > max) {
            throw new DecodeException(at, what + " must be 0.." + max + ", got " + Integer.toUnsignedString(v));
        }
        return v;
    }

    public long i64() throws DecodeException {
        need(8, "i64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    /** A signed 64-bit value that must lie in {@code [min, max]}. */
    public long i64(long min, long max, String what) throws DecodeException {
        int at = pos;
        long v = i64();
        if (v < min || v > max) {
            throw new DecodeException(at, what + " must be " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    public byte[] fixed(int n) throws DecodeException {
        need(n, n + " fixed bytes");
        byte[] b = new byte[n];
        System.arraycopy(buf, pos, b, 0, n);
        pos += n;
        return b;
    }

    public Hash hash() throws DecodeException {
        return Hash.wrap(fixed(Hash.LENGTH));
    }

    /** Length-prefixed bytes of at most {@code maxLength}. */
    public byte[] bytes(int maxLength, String what) throws DecodeException {
        int n = u32(maxLength, what + " length");
        need(n, what);
        return fixed(n);
    }

    /** What {@link CanonicalWriter#optionalBytes} wrote: null if absent; a presence flag other than 0 or 1 is an error. */
    public byte[] optionalBytes(int maxLength, String what) throws DecodeException {
        int present = u8();
        if (present > 1) {
            throw new DecodeException(pos - 1, what + ": presence flag must be 0 or 1");
        }
        return present == 1 ? bytes(maxLength, what) : null;
    }

    /** Length-prefixed UTF-8 of at most {@code maxBytes} encoded bytes; malformed UTF-8 is an error. */
    public String string(int maxBytes, String what) throws DecodeException {
        int at = pos;
        byte[] b = bytes(maxBytes, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException(at, what + " is not valid UTF-8");
        }
    }

    /** A u32 count of at most {@code maxCount}, then that many elements. */
    public <T> List<T> list(int maxCount, String what, ElementReader<T> each) throws DecodeException {
        int n = u32(maxCount, what + " count");
        List<T> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            out.add(each.read(this));
        }
        return out;
    }

    /** Fails unless every byte was consumed: trailing bytes would make encodings non-canonical. */
    public void expectEnd() throws DecodeException {
        if (pos != end) {
            throw new DecodeException(pos, (end - pos) + " unexpected trailing bytes");
        }
    }
}
