package org.outcalls.api;

/** The cycles an outcall costs, following the Internet Computer's formula for a subnet of n replicas. */
public final class Fees {
    private Fees() {
    }

    /**
     * {@code (3_000_000 + 60_000·n)·n + 400·n·requestBytes + 800·n·maxResponseBytes}.
     *
     * @param n                subnet size
     * @param requestBytes     {@link Limits#requestBytesForFee}
     * @param maxResponseBytes the effective max_response_bytes
     */
    public static long httpRequestFee(int n, long requestBytes, long maxResponseBytes) {
        if (n < 1) {
            throw new IllegalArgumentException("subnet size: must be at least 1 (was " + n + ")");
        }
        if (requestBytes < 0 || maxResponseBytes < 0) {
            throw new IllegalArgumentException("byte counts must not be negative");
        }
        long base = Math.multiplyExact(3_000_000L + 60_000L * n, (long) n);
        long perRequestByte = Math.multiplyExact(400L * n, requestBytes);
        long perResponseByte = Math.multiplyExact(800L * n, maxResponseBytes);
        return Math.addExact(Math.addExact(base, perRequestByte), perResponseByte);
    }

    /** The fee of a request on a subnet of n replicas. */
    public static long httpRequestFee(int n, OutcallRequest r) {
        return httpRequestFee(n, Limits.requestBytesForFee(r), r.effectiveMaxResponseBytes());
    }
}
