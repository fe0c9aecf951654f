package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Ed25519WorkTest {
    private static final Domain D = Domain.of("outcalls/test/work", 1);

    @Test
    void signingAndCheckingOnTheCurveAreCountedAndARememberedCheckIsNot() {
        NodeKey key = NodeKey.fromSeed(new byte[32]);
        byte[] body = ("counted " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        Ed25519Work before = Ed25519Work.sinceStart();
        byte[] signature = key.sign(D, body);
        assertEquals(new Ed25519Work(1, 0), Ed25519Work.sinceStart().minus(before));

        assertTrue(key.publicKey().verify(D, body, signature));
        assertTrue(key.publicKey().verify(D, body, signature)); // remembered: no curve work
        assertEquals(new Ed25519Work(1, 1), Ed25519Work.sinceStart().minus(before));

        byte[] forged = signature.clone();
        forged[5] ^= 1;
        assertFalse(key.publicKey().verify(D, body, forged));
        assertFalse(key.publicKey().verify(D, body, forged)); // failures are never remembered
        assertEquals(new Ed25519Work(1, 3), Ed25519Work.sinceStart().minus(before));
        assertFalse(key.publicKey().verify(D, body, new byte[12])); // wrong length: refused before the curve
        assertEquals(new Ed25519Work(1, 3), Ed25519Work.sinceStart().minus(before));
    }

    @Test
    void threadsCheckingOneSignatureAtOnceShareOneCheck() throws Exception {
        for (boolean valid : new boolean[] {true, false}) {
            Hash digest = Hash.sha256(("one signature " + valid + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
            int threads = 8;
            AtomicInteger onCurve = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Thread> workers = new ArrayList<>();
                List<Future<Boolean>> answers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    answers.add(pool.submit(() -> {
                        synchronized (workers) {
                            workers.add(Thread.currentThread());
                        }
                        return VerifiedSignatures.check(digest, () -> {
                            onCurve.incrementAndGet();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return valid;
                        });
                    }));
                }
                // every thread is either in the one curve check or waiting for it
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (parked(workers) < threads && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(threads, parked(workers), "all threads checking at once");
                assertEquals(1, onCurve.get(), "curve checks while " + threads + " threads check one signature");
                release.countDown();
                for (Future<Boolean> a : answers) {
                    assertEquals(valid, a.get(10, TimeUnit.SECONDS));
                }
                assertEquals(1, onCurve.get());
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    @Test
    void anErrorInTheThreadThatChecksIsNotTheAnswerOfThoseWaiting() throws Exception {
        Hash digest = Hash.sha256(("error " + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
        int threads = 8;
        AtomicInteger onCurve = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Thread> workers = new ArrayList<>();
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    synchronized (workers) {
                        workers.add(Thread.currentThread());
                    }
                    return VerifiedSignatures.check(digest, () -> {
                        if (onCurve.incrementAndGet() > 1) {
                            return true; // a waiting thread checking for itself
                        }
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new StackOverflowError("the first checker's own fault");
                    });
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (parked(workers) < threads && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(threads, parked(workers), "all threads checking at once");
            release.countDown();
            int errors = 0;
            for (Future<Boolean> a : answers) {
                try {
                    assertTrue(a.get(10, TimeUnit.SECONDS), "a waiting thread's own check");
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof StackOverflowError, e.toString());
                    errors++;
                }
            }
            assertEquals(1, errors, "only the thread whose check failed sees its error");
        } finally {
            release.countDown();
            pool.shutdownNow();
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

    private static int parked(List<Thread> workers) {
        synchronized (workers) {
            if (workers.size() < 8) {
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
