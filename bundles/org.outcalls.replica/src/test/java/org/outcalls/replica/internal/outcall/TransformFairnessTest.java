package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.replica.internal.outcall.TestTransforms.transform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.transform.Transform;
import org.outcalls.transform.regex.internal.RegexTransform;

/**
 * One caller's many slow transforms cannot hold up another caller's: waiting calls are served
 * round-robin per caller, the queue is bounded (a call over a bound is refused at once, saying
 * which), and closing the runner leaves no thread behind.
 */
class TransformFairnessTest {
    private static final TransformRunner.Budget BUDGET =
            new TransformRunner.Budget(Duration.ofMillis(300), Duration.ofMillis(1_000), 64L * 1024 * 1024);
    /**
     * Backtracks catastrophically on a run of a's with no b: 2^40 ways to split them, and the
     * back-reference turns off the memoization that saves Java 9+ on the plain {@code (a+)+b}.
     */
    private static final byte[] BACKTRACKING = "(a+)+\\1b".getBytes(StandardCharsets.UTF_8);
    private static final HttpResponse AAAA = HttpResponse.of(200, List.of(), "a".repeat(40).getBytes(StandardCharsets.UTF_8));
    private static final HttpResponse PRICE = HttpResponse.of(200, List.of(), "price=42".getBytes(StandardCharsets.UTF_8));

    private static CompletableFuture<TransformRunner.Outcome> run(TransformRunner runner, String caller, Transform t,
                                                                  HttpResponse response, byte[] context) {
        return runner.run(caller, TestTransforms.nameOf(t), t, response, context, 10_000).toCompletableFuture();
    }

    @Test
    void aFloodOfBacktrackingRegexesFromOneCallerDoesNotHoldUpAnother() throws Exception {
        Transform regex = new RegexTransform();
        int flood = 20;
        try (TransformRunner runner = new TransformRunner(BUDGET, 2)) {
            List<CompletableFuture<TransformRunner.Outcome>> hostile = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                hostile.add(run(runner, "canister-a", regex, AAAA, BACKTRACKING));
            }
            // Counted the moment B's transform completes, on the thread that completes it.
            CompletableFuture<Long> hostileDoneWhenBFinished = run(runner, "canister-b", regex, PRICE,
                    "price=(\\d+)".getBytes(StandardCharsets.UTF_8))
                    .thenApply(o -> {
                        assertNull(o.reject(), () -> "B's transform: " + o.reject());
                        assertEquals("42", new String(o.response().body(), StandardCharsets.UTF_8));
                        return hostile.stream().filter(CompletableFuture::isDone).count();
                    });
            long doneBeforeB = hostileDoneWhenBFinished.get(60, TimeUnit.SECONDS);
            // Round-robin: B waits for a running hostile call to end, then goes next; with one
            // queue for all, it would have waited for all 20 (each cut at its 300 ms CPU limit).
            assertTrue(doneBeforeB <= 6, doneBeforeB + " of " + flood + " hostile transforms ended before B's");
            for (CompletableFuture<TransformRunner.Outcome> f : hostile) {
                Reject r = f.get(120, TimeUnit.SECONDS).reject();
                assertEquals(RejectKind.TRANSFORM_ERROR, r.kind());
                assertTrue(r.message().contains("limit"), r.message());
            }
        }
    }

    @Test
    void aFullQueueRefusesAtOnceNamingTheBound() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Transform gate = transform("gate", r -> {
            started.countDown();
            release.await();
            return r;
        });
        Transform quick = transform("quick", r -> r);
        TransformRunner.Budget patient = new TransformRunner.Budget(Duration.ofSeconds(30), Duration.ofSeconds(60),
                64L * 1024 * 1024);
        try (TransformRunner runner = new TransformRunner(patient, 1, new TransformRunner.QueueLimits(5, 3))) {
            List<CompletableFuture<TransformRunner.Outcome>> accepted = new ArrayList<>();
            accepted.add(run(runner, "canister-a", gate, PRICE, new byte[0]));
            assertTrue(started.await(10, TimeUnit.SECONDS)); // the one worker is busy; the rest waits
            for (int i = 0; i < 3; i++) {
                accepted.add(run(runner, "canister-a", quick, PRICE, new byte[0]));
            }
            CompletableFuture<TransformRunner.Outcome> fourthOfA = run(runner, "canister-a", quick, PRICE, new byte[0]);
            assertTrue(fourthOfA.isDone(), "refused at once");
            Reject perCaller = fourthOfA.get().reject();
            assertEquals(RejectCode.SYS_TRANSIENT, perCaller.code());
            assertEquals(RejectKind.TRANSFORM_ERROR, perCaller.kind());
            assertEquals("transform 'quick' was not run on this replica: caller 'canister-a' already has 3 transforms"
                    + " waiting, the most one caller may have queued; retry later", perCaller.message());

            for (int i = 0; i < 2; i++) {
                accepted.add(run(runner, "canister-b", quick, PRICE, new byte[0]));
            }
            CompletableFuture<TransformRunner.Outcome> sixth = run(runner, "canister-c", quick, PRICE, new byte[0]);
            assertTrue(sixth.isDone(), "refused at once");
            assertEquals("transform 'quick' was not run on this replica: 5 transforms are already waiting, the most"
                    + " this replica queues; retry later", sixth.get().reject().message());
            assertEquals(RejectCode.SYS_TRANSIENT, sixth.get().reject().code());

            release.countDown();
            for (CompletableFuture<TransformRunner.Outcome> f : accepted) {
                assertNull(f.get(10, TimeUnit.SECONDS).reject());
            }
        }
    }

    @Test
    void closingAnswersEveryCallAndLeavesNoThread() throws Exception {
        TransformRunner runner = new TransformRunner(BUDGET, 2);
        CountDownLatch bothRunning = new CountDownLatch(2);
        Transform stubborn = transform("stubborn", r -> {
            bothRunning.countDown();
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ignored) {
                    // ignores every interrupt
                }
            }
        });
        Transform sleeper = transform("sleeper", r -> {
            bothRunning.countDown();
            Thread.sleep(60_000);
            return r;
        });
        CompletableFuture<TransformRunner.Outcome> a = run(runner, "canister-a", stubborn, PRICE, new byte[0]);
        CompletableFuture<TransformRunner.Outcome> b = run(runner, "canister-b", sleeper, PRICE, new byte[0]);
        assertTrue(bothRunning.await(10, TimeUnit.SECONDS));
        CompletableFuture<TransformRunner.Outcome> waiting = run(runner, "canister-c", transform("later", r -> r),
                PRICE, new byte[0]);
        assertEquals(3, runner.liveThreads().size(), "two workers and the watchdog");

        runner.close();

        assertTrue(runner.liveThreads().isEmpty(), "threads left: " + runner.liveThreads());
        for (CompletableFuture<TransformRunner.Outcome> f : List.of(a, b, waiting)) {
            assertTrue(f.isDone());
            assertTrue(f.get().reject().message().contains("the replica is shutting down"), f.get().reject().message());
        }
        assertTrue(run(runner, "canister-a", transform("after", r -> r), PRICE, new byte[0]).get().reject().message()
                .contains("shutting down"));
    }

    @Test
    void aRunnerSharedByReplicasGivesEachTheQueueOfARunnerOfItsOwn() {
        TransformRunner.QueueLimits shared = TransformRunner.QueueLimits.sharedBy(4);
        assertEquals(4 * TransformRunner.QueueLimits.DEFAULT.perCaller(), shared.perCaller());
        assertEquals(4 * TransformRunner.QueueLimits.DEFAULT.total(), shared.total());
        assertEquals(TransformRunner.QueueLimits.DEFAULT, TransformRunner.QueueLimits.sharedBy(1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TransformRunner.QueueLimits.sharedBy(0));
    }
}
