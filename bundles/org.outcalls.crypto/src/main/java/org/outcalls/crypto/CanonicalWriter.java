package org.outcalls.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * Writes the canonical binary encoding: big-endian fixed-width integers, length-prefixed byte
 * strings and UTF-8 strings (u32 length), u32 counts before lists, fixed 32-byte hashes. There is
 * exactly one encoding of every value, so equal values sign and hash the same bytes.
 * Not thread-safe; one writer per message.
 */
public final class CanonicalWriter {
    private byte[] buf;
    private int len;

    public CanonicalWriter() {
        this(128);
    }

    public CanonicalWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) len + extra);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("canonical encoding larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public CanonicalWriter u8(int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public CanonicalWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public CanonicalWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    /** A signed 32-bit integer, two's complement, big-endian. */
    public CanonicalWriter i32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    /** An unsigned 32-bit count or length (must be non-negative here). */
    public CanonicalWriter u32(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("u32 must not be negative: " + v);
        }
        return i32(v);
    }

    /** A signed 64-bit integer, two's complement, big-endian. */
    public CanonicalWriter i64(long v) {
        ensure(8);
        for (int s = 56; s >= 0; s -= 8) {
            buf[len++] = (byte) (v >>> s);
        }
        return this;
    }

    /** Raw bytes with no length (for fixed-width fields). */
    public CanonicalWriter fixed(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public CanonicalWriter hash(Hash h) {
        ensure(Hash.LENGTH);
        h.copyTo(buf, len);
        len += Hash.LENGTH;
        return this;
    }

    /** u32 length followed by the bytes. */
    public CanonicalWriter bytes(byte[] b) {
        u32(b.length);
        return fixed(b);
    }

    /** u8 presence (0 for null, 1) followed, if present, by the length-prefixed bytes. */
    public CanonicalWriter optionalBytes(byte[] b) {
        return b == null ? u8(0) : u8(1).bytes(b);
    }

    /** u32 length followed by the UTF-8 bytes. */
    public CanonicalWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** u32 count followed by each element written by {@code each}. */
    public <T> CanonicalWriter list(Collection<T> items, BiConsumer<CanonicalWriter, T> each) {
        u32(items.size());
        for (T t : items) {
            each.accept(this, t);
        }
        return this;
    }

    public int size() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
