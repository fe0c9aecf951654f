package org.outcalls.adapter.internal;

import java.util.Arrays;

/**
 * The response body as it arrives, never larger than its allowance: the array grows with what
 * was actually received (never with what the server announced) and a write that would pass the
 * allowance is refused before anything is copied.
 */
final class BoundedBody {
    private final long allowance;
    private final BufferAccounting accounting;
    private byte[] bytes = new byte[0];
    private int size;

    BoundedBody(long allowance, BufferAccounting accounting) {
        this.allowance = allowance;
        this.accounting = accounting;
    }

    /** Appends, or returns false (and keeps nothing more) if the body would exceed its allowance. */
    boolean append(byte[] src, int off, int len) {
        if ((long) size + len > allowance) {
            return false;
        }
        if (size + len > bytes.length) {
            long grown = Math.max((long) size + len, Math.max(1024L, bytes.length * 2L));
            int capacity = (int) Math.min(grown, allowance);
            accounting.add(capacity - bytes.length);
            bytes = Arrays.copyOf(bytes, capacity);
        }
        System.arraycopy(src, off, bytes, size, len);
        size += len;
        return true;
    }

    int size() {
        return size;
    }

    long allowance() {
        return allowance;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Lets go of the bytes (and tells the accounting so). */
    void release() {
        accounting.add(-bytes.length);
        bytes = new byte[0];
        size = 0;
    }
}
