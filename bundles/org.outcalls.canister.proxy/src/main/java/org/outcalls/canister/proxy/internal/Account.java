package org.outcalls.canister.proxy.internal;

import java.nio.ByteBuffer;

/**
 * One caller's account in the proxy: its cycles, its open outcalls (how many, and their request
 * bytes) and the bytes of its kept results. Stored as four big-endian longs.
 */
record Account(long balance, long openOutcalls, long openRequestBytes, long resultBytes) {
    static final Account EMPTY = new Account(0, 0, 0, 0);
    private static final int ENCODED_BYTES = 4 * Long.BYTES;

    Account {
        if (balance < 0 || openOutcalls < 0 || openRequestBytes < 0 || resultBytes < 0) {
            throw new IllegalStateException("account would go negative: " + balance + " cycles, " + openOutcalls
                    + " open, " + openRequestBytes + " open request bytes, " + resultBytes + " result bytes");
        }
    }

    boolean isEmpty() {
        return equals(EMPTY);
    }

    Account withBalance(long cycles) {
        return new Account(cycles, openOutcalls, openRequestBytes, resultBytes);
    }

    /** An outcall opened: its cycles leave the balance. */
    Account opened(long attached, long requestBytes) {
        return new Account(Math.subtractExact(balance, attached), openOutcalls + 1,
                Math.addExact(openRequestBytes, requestBytes), resultBytes);
    }

    /** An outcall answered: the refund comes back. */
    Account closed(long refunded, long requestBytes) {
        return new Account(Math.addExact(balance, refunded), openOutcalls - 1, openRequestBytes - requestBytes,
                resultBytes);
    }

    Account withResultBytes(long bytes) {
        return new Account(balance, openOutcalls, openRequestBytes, bytes);
    }

    byte[] encode() {
        return ByteBuffer.allocate(ENCODED_BYTES).putLong(balance).putLong(openOutcalls).putLong(openRequestBytes)
                .putLong(resultBytes).array();
    }

    static Account decode(byte[] bytes) {
        if (bytes.length != ENCODED_BYTES) {
            throw new IllegalStateException("stored account is " + bytes.length + " bytes, not " + ENCODED_BYTES);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new Account(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }
}
