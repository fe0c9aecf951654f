package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class Ed25519WorkTest {
    private static final Domain D = Domain.of("outcalls/test/work", 1);

    @Test
    void signingAndCheckingOnTheCurveAreCountedAndARememberedCheckIsNot() {
        NodeKey key = NodeKey.fromSeed(new byte[32]);
        byte[] body = ("counted " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        Ed25519Work before = Ed25519Work.sinceStart();
        byte[] signature = signedElsewhere(new byte[32], body);
        assertEquals(new Ed25519Work(0, 0), Ed25519Work.sinceStart().minus(before));

        assertTrue(key.publicKey().verify(D, body, signature));
        assertTrue(key.publicKey().verify(D, body, signature)); // remembered: no curve work
        assertEquals(new Ed25519Work(0, 1), Ed25519Work.sinceStart().minus(before));

        byte[] forged = signature.clone();
        forged[5] ^= 1;
        assertFalse(key.publicKey().verify(D, body, forged));
        assertFalse(key.publicKey().verify(D, body, forged)); // failures are never remembered
        assertEquals(new Ed25519Work(0, 3), Ed25519Work.sinceStart().minus(before));
        assertFalse(key.publicKey().verify(D, body, new byte[12])); // wrong length: refused before the curve
        assertEquals(new Ed25519Work(0, 3), Ed25519Work.sinceStart().minus(before));
    }

    @Test
    void aSignatureMadeInThisJvmIsKnownValidAndNothingElseIs() {
        byte[] seed = new byte[32];
        seed[0] = 7;
        NodeKey key = NodeKey.fromSeed(seed);
        NodeKey other = NodeKey.fromSeed(new byte[32]);
        byte[] body = ("made here " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        Ed25519Work before = Ed25519Work.sinceStart();
        byte[] signature = key.sign(D, body);
        assertEquals(new Ed25519Work(1, 0), Ed25519Work.sinceStart().minus(before));
        assertTrue(key.publicKey().verify(D, body, signature));
        assertEquals(new Ed25519Work(1, 0), Ed25519Work.sinceStart().minus(before), "made here: no curve check");
        assertArrayEquals(signedElsewhere(seed, body), signature, "the same signature another JVM would make");

        // Everything the signature was not made for is checked on the curve, and fails.
        byte[] otherBody = body.clone();
        otherBody[0] ^= 1;
        byte[] forged = signature.clone();
        forged[40] ^= 1;
        assertFalse(other.publicKey().verify(D, body, signature), "another key");
        assertFalse(key.publicKey().verify(D, otherBody, signature), "another body");
        assertFalse(key.publicKey().verify(Domain.of("outcalls/test/other", 1), body, signature), "another domain");
        assertFalse(key.publicKey().verify(D, body, forged), "another signature");
        assertEquals(new Ed25519Work(1, 4), Ed25519Work.sinceStart().minus(before));
    }

    /** A signature over {@code D.message(body)} made by the curve alone, as a peer in another JVM makes it. */
    private static byte[] signedElsewhere(byte[] seed, byte[] body) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
        byte[] prefix = D.prefix();
        signer.update(prefix, 0, prefix.length);
        signer.update(body, 0, body.length);
        return signer.generateSignature();
    }

    @Test
    void threadsCheckingOneSignatureAtOnceShareOneCheck() throws Exception {
        for (boolean valid : new boolean[] {true, false}) {
            AtomicInteger onCurve = new AtomicInteger();
            try (Checkers checkers = new Checkers("one signature " + valid, release -> {
                onCurve.incrementAndGet();
                release.await();
                return valid;
            })) {
                assertEquals(1, onCurve.get(), "curve checks while " + Checkers.THREADS + " threads check one signature");
                checkers.release();
                for (Future<Boolean> a : checkers.answers) {
                    assertEquals(valid, a.get(10, TimeUnit.SECONDS));
                }
                assertEquals(1, onCurve.get());
            }
        }
    }

    @Test
    void anErrorInTheThreadThatChecksIsNotTheAnswerOfThoseWaiting() throws Exception {
        AtomicInteger onCurve = new AtomicInteger();
        try (Checkers checkers = new Checkers("error", release -> {
            if (onCurve.incrementAndGet() > 1) {
                return true; // a waiting thread checking for itself
            }
            release.await();
            throw new StackOverflowError("the first checker's own fault");
        })) {
            checkers.release();
            int errors = 0;
            for (Future<Boolean> a : checkers.answers) {
                try {
                    assertTrue(a.get(10, TimeUnit.SECONDS), "a waiting thread's own check");
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof StackOverflowError, e.toString());
                    errors++;
                }
            }
            assertEquals(1, errors, "only the thread whose check failed sees its error");
        }
    }

    @Test
    void aThreadsOwnWorkIsCountedApart() throws Exception {
        NodeKey key = NodeKey.fromSeed(new byte[32]);
        Ed25519Work mine = Ed25519Work.byThisThread();
        Thread other = new Thread(() -> key.sign(D, "another thread".getBytes(StandardCharsets.UTF_8)));
        other.start();
        other.join();
        assertEquals(new Ed25519Work(0, 0), Ed25519Work.byThisThread().minus(mine));
        key.sign(D, "this thread".getBytes(StandardCharsets.UTF_8));
        assertEquals(new Ed25519Work(1, 0), Ed25519Work.byThisThread().minus(mine));
    }

    /** A curve check that may wait for the test to release it. */
    interface Curve {
        boolean check(CountDownLatch release) throws InterruptedException;
    }

    /**
     * {@link #THREADS} threads checking one new digest at once, each with {@code curve}; the
     * constructor returns when every one of them is in the curve check or waiting for it.
     */
    private static final class Checkers implements AutoCloseable {
        static final int THREADS = 8;
        final List<Future<Boolean>> answers = new ArrayList<>();
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

        Checkers(String name, Curve curve) throws InterruptedException {
            Hash digest = Hash.sha256((name + " " + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                answers.add(pool.submit(() -> {
                    synchronized (workers) {
                        workers.add(Thread.currentThread());
                    }
                    return VerifiedSignatures.check(digest, () -> {
                        try {
                            return curve.check(release);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    });
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (parked(workers) < THREADS && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(THREADS, parked(workers), "all threads checking at once");
        }

        void release() {
            release.countDown();
        }

        @Override
        public void close() {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static int parked(List<Thread> workers) {
        synchronized (workers) {
            if (workers.size() < Checkers.THREADS) {
                return 0;
            }
            int n = 0;
            for (Thread t : workers) {
                Thread.State s = t.getState();
                n += s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING ? 1 : 0;
            }
            return n;
        }
    }
}
