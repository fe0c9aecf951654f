package org.outcalls.replica.internal.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@link CanonicalOutput}'s encoding strictly: every length is bounded by the caller, text
 * must be valid UTF-8, booleans must be 0 or 1, and {@link #end()} refuses trailing bytes, so one
 * value has one accepted encoding. Errors are {@link MalformedInputException}s naming the field.
 */
public final class CanonicalInput {
    private final byte[] data;
    private int pos;

    public CanonicalInput(byte[] data) {
        this.data = data;
    }

    public int u8(String field) {
        need(1, field);
        return data[pos++] & 0xff;
    }

    public boolean bool(String field) {
        int v = u8(field);
        if (v > 1) {
            throw new MalformedInputException(field + ": boolean must be 0 or 1, was " + v);
        }
        return v == 1;
    }

    public int i32(String field) {
        need(4, field);
        int v = (data[pos] & 0xff) << 24 | (data[pos + 1] & 0xff) << 16 | (data[pos + 2] & 0xff) << 8
                | data[pos + 3] & 0xff;
        pos += 4;
        return v;
    }

    public long i64(String field) {
        need(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | data[pos + i] & 0xff;
        }
        pos += 8;
        return v;
    }

    /** A non-negative 32-bit count or length, at most {@code max}. */
    public int length(String field, int max) {
        int n = i32(field);
        if (n < 0 || n > max) {
            throw new MalformedInputException(field + ": length " + (n & 0xffffffffL) + " exceeds the limit of " + max);
        }
        return n;
    }

    public byte[] bytes(String field, int maxLength) {
        int n = length(field, maxLength);
        need(n, field);
        byte[] v = new byte[n];
        System.arraycopy(data, pos, v, 0, n);
        pos += n;
        return v;
    }

    public byte[] fixed(String field, int length) {
        need(length, field);
        byte[] v = new byte[length];
        System.arraycopy(data, pos, v, 0, length);
        pos += length;
        return v;
    }

    /** UTF-8 text of at most {@code maxBytes} encoded bytes. */
    public String string(String field, int maxBytes) {
        byte[] b = bytes(field, maxBytes);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedInputException(field + ": not valid UTF-8");
        }
    }

    /** Reads a domain tag and checks it. */
    public void domain(String expected) {
        String tag = string("domain", 256);
        if (!tag.equals(expected)) {
            throw new MalformedInputException("domain: expected '" + expected + "', was '" + tag + "'");
        }
    }

    public int remaining() {
        return data.length - pos;
    }

    /** Refuses trailing bytes. */
    public void end() {
        if (pos != data.length) {
            throw new MalformedInputException((data.length - pos) + " unexpected trailing bytes");
        }
    }

    private void need(int n, String field) {
        if (n < 0 || data.length - pos < n) {
            throw new MalformedInputException(field + ": truncated (needs " + n + " bytes, "
                    + (data.length - pos) + " left)");
        }
    }
}
