package org.outcalls.replica.internal.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the replica's canonical binary encoding: fixed-width big-endian integers, length-prefixed
 * byte strings and UTF-8 text, counted lists. One value has exactly one encoding, so the bytes can
 * be hashed and signed. Callers write collections in a fixed (sorted) order.
 */
public final class CanonicalOutput {
    private final ByteArrayOutputStream out;

    public CanonicalOutput() {
        this(256);
    }

    public CanonicalOutput(int initialCapacity) {
        this.out = new ByteArrayOutputStream(initialCapacity);
    }

    public CanonicalOutput u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        out.write(v);
        return this;
    }

    public CanonicalOutput bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public CanonicalOutput i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public CanonicalOutput i64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    /** A length-prefixed byte string. */
    public CanonicalOutput bytes(byte[] v) {
        i32(v.length);
        out.write(v, 0, v.length);
        return this;
    }

    /** Bytes whose length both sides know (hashes, keys): no prefix. */
    public CanonicalOutput fixed(byte[] v) {
        out.write(v, 0, v.length);
        return this;
    }

    /** Length-prefixed UTF-8 text. */
    public CanonicalOutput string(String v) {
        return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    /** A domain tag: what the following bytes are, so equal bytes of different kinds never collide. */
    public CanonicalOutput domain(String tag) {
        return string(tag);
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
