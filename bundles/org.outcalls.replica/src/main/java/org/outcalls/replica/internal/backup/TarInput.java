package org.outcalls.replica.internal.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the ustar streams {@link TarOutput} writes (regular files only), checking every header's
 * checksum, so a damaged archive is named as such rather than misread.
 */
final class TarInput {
    private final InputStream in;
    private long left;
    private int pad;

    /** One entry; its bytes are read with {@link TarInput#read}. */
    record Entry(String name, long size, int mode) {
    }

    TarInput(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. */
    Entry next() throws IOException {
        skip(left + pad);
        left = 0;
        pad = 0;
        byte[] h = in.readNBytes(TarOutput.BLOCK);
        if (h.length < TarOutput.BLOCK) {
            throw new EOFException("the archive ends inside a header (truncated)");
        }
        if (allZero(h)) {
            return null;
        }
        long recorded = parseOctal(h, 148, 8, "header checksum");
        long sum = 0;
        for (int i = 0; i < h.length; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        if (sum != recorded) {
            throw new IOException("a tar header's checksum does not match (damaged archive)");
        }
        if (h[156] != '0' && h[156] != 0) {
            throw new IOException("entry type '" + (char) h[156] + "' is not a regular file: not an outcalls backup");
        }
        int end = 0;
        while (end < 100 && h[end] != 0) {
            end++;
        }
        String name = new String(h, 0, end, StandardCharsets.UTF_8);
        long size = (h[124] & 0x80) != 0 ? base256(h) : parseOctal(h, 124, 12, "size of " + name);
        int mode = (int) parseOctal(h, 100, 8, "mode of " + name);
        left = size;
        pad = (int) ((TarOutput.BLOCK - size % TarOutput.BLOCK) % TarOutput.BLOCK);
        return new Entry(name, size, mode);
    }

    /** Bytes of the current entry; -1 at its end. */
    int read(byte[] buf) throws IOException {
        if (left == 0) {
            return -1;
        }
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
            throw new EOFException("the archive ends inside a file (truncated)");
        }
        left -= n;
        return n;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the archive ends inside a file (truncated)");
                }
                s = 1;
            }
            n -= s;
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long base256(byte[] h) {
        long v = 0;
        for (int i = 128; i < 136; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    private static long parseOctal(byte[] h, int offset, int width, String what) throws IOException {
        long v = 0;
        boolean any = false;
        for (int i = offset; i < offset + width; i++) {
            byte b = h[i];
            if (b == 0 || b == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException(what + " is not an octal number (damaged archive)");
            }
            v = v * 8 + (b - '0');
            any = true;
        }
        return v;
    }
}
