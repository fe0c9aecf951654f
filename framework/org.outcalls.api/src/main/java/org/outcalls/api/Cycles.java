package org.outcalls.api;

/**
 * What an outcall did with the cycles attached to it: {@code attached = charged + refunded}.
 */
public record Cycles(long attached, long charged, long refunded) {
    public Cycles {
        if (attached < 0 || charged < 0 || refunded < 0) {
            throw new IllegalArgumentException("cycles must not be negative");
        }
        if (attached != charged + refunded) {
            throw new IllegalArgumentException("cycles: attached " + attached + " != charged " + charged
                    + " + refunded " + refunded);
        }
    }
}
