package org.outcalls.replica.internal.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar stream of regular files, enough for a backup that {@code tar xzf} can also
 * read: names up to 100 bytes, sizes of any length (base-256 above 8 GiB, as GNU tar does).
 */
final class TarOutput {
    static final int BLOCK = 512;
    private static final long OCTAL_SIZE_LIMIT = 077777777777L;

    private final OutputStream out;

    TarOutput(OutputStream out) {
        this.out = out;
    }

    /** One regular file of exactly {@code size} bytes read from {@code in}. */
    void file(String name, long size, int mode, long mtimeSeconds, InputStream in) throws IOException {
        out.write(header(name, size, mode, mtimeSeconds));
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(name + ": ended " + left + " bytes before its size " + size);
            }
            out.write(buf, 0, n);
            left -= n;
        }
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[pad]);
    }

    /** The two zero blocks that end an archive. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    static byte[] header(String name, long size, int mode, long mtimeSeconds) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > 100) {
            throw new IllegalArgumentException("tar entry name must be 1..100 bytes: " + name);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size <= OCTAL_SIZE_LIMIT) {
            octal(h, 124, 12, size);
        } else {
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        }
        octal(h, 136, 12, mtimeSeconds);
        h[156] = '0';
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    /** Zero-padded octal digits followed by NUL, in {@code width} bytes. */
    private static void octal(byte[] h, int offset, int width, long value) {
        String s = Long.toOctalString(value);
        int digits = width - 1;
        if (s.length() > digits) {
            throw new IllegalArgumentException("value " + value + " does not fit " + digits + " octal digits");
        }
        for (int i = 0; i < digits; i++) {
            int from = s.length() - digits + i;
            h[offset + i] = (byte) (from < 0 ? '0' : s.charAt(from));
        }
        h[offset + digits] = 0;
    }
}
