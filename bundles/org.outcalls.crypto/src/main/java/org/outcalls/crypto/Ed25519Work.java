package org.outcalls.crypto;

import java.util.concurrent.atomic.LongAdder;

/**
 * The Ed25519 work done through {@link NodeKey#sign} and {@link PublicKey#verify} since the JVM
 * started: signatures made and signatures checked on the curve, in the whole JVM or in one thread.
 * A check that the process-wide memory of verified signatures answered is not counted: this is the
 * work that was paid for, which is what the benchmark divides by the outcalls it decided. (The
 * signatures of TLS handshakes and of node certificates are made by the TLS stack and not counted.)
 *
 * @param signatures    signatures made
 * @param verifications signatures checked on the curve
 */
public record Ed25519Work(long signatures, long verifications) {
    private static final LongAdder SIGNED = new LongAdder();
    private static final LongAdder VERIFIED = new LongAdder();
    private static final ThreadLocal<long[]> BY_THIS_THREAD = ThreadLocal.withInitial(() -> new long[2]);

    /** What this JVM has done so far. */
    public static Ed25519Work sinceStart() {
        return new Ed25519Work(SIGNED.sum(), VERIFIED.sum());
    }

    /** What the calling thread has done so far (a load driver's own share of the JVM's work). */
    public static Ed25519Work byThisThread() {
        long[] c = BY_THIS_THREAD.get();
        return new Ed25519Work(c[0], c[1]);
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
        BY_THIS_THREAD.get()[0]++;
    }

    static void verified() {
        VERIFIED.increment();
        BY_THIS_THREAD.get()[1]++;
    }
}
