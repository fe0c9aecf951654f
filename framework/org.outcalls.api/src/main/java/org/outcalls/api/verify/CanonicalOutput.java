package org.outcalls.api.verify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the canonical binary encoding that {@link CanonicalInput} reads (as {@code CanonicalWriter} does). */
final class CanonicalOutput {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    CanonicalOutput u8(int v) {
        out.write(v);
        return this;
    }

    CanonicalOutput bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    CanonicalOutput u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    CanonicalOutput u32(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("u32 must not be negative: " + v);
        }
        for (int s = 24; s >= 0; s -= 8) {
            out.write(v >>> s);
        }
        return this;
    }

    CanonicalOutput i64(long v) {
        for (int s = 56; s >= 0; s -= 8) {
            out.write((int) (v >>> s));
        }
        return this;
    }

    CanonicalOutput fixed(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    CanonicalOutput bytes(byte[] b) {
        return u32(b.length).fixed(b);
    }

    CanonicalOutput string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
