package org.outcalls.crypto;

import java.util.concurrent.atomic.LongAdder;

/**
 * The Ed25519 work this JVM has done since it started: signatures made and signatures checked on
 * the curve. A check that the process-wide memory of verified signatures answered is not counted:
 * this is the work that was paid for, which is what the benchmark divides by the outcalls it decided.
 *
 * @param signatures    signatures made
 * @param verifications signatures checked on the curve
 */
public record Ed25519Work(long signatures, long verifications) {
    private static final LongAdder SIGNED = new LongAdder();
    private static final LongAdder VERIFIED = new LongAdder();

    /** What this JVM has done so far. */
    public static Ed25519Work sinceStart() {
        return new Ed25519Work(SIGNED.sum(), VERIFIED.sum());
    }

    /** The work done between {@code earlier} and this. */
    public Ed25519Work minus(Ed25519Work earlier) {
        return new Ed25519Work(signatures - earlier.signatures, verifications - earlier.verifications);
    }

    /** The sum of this and {@code other} (the work of several JVMs). */
    public Ed25519Work plus(Ed25519Work other) {
        return new Ed25519Work(signatures + other.signatures, verifications + other.verifications);
    }

    static void signed() {
        SIGNED.increment();
    }

    static void verified() {
        VERIFIED.increment();
    }
}
