package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.replica.internal.outcall.TestTransforms.transform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;

class TransformRunnerTest {
    /** The wall-clock limit far above the CPU limit, so a spinning transform meets the CPU limit first on a busy machine. */
    private final TransformRunner runner = new TransformRunner(
            new TransformRunner.Budget(Duration.ofMillis(300), Duration.ofSeconds(20), 64L * 1024 * 1024), 2);
    /** A short wall-clock limit, for transforms that use no CPU. */
    private final TransformRunner impatient = new TransformRunner(
            new TransformRunner.Budget(Duration.ofSeconds(10), Duration.ofMillis(500), 64L * 1024 * 1024), 2);
    private static final HttpResponse RESPONSE = HttpResponse.of(200, List.of(), "hello".getBytes(StandardCharsets.UTF_8));

    @AfterEach
    void close() {
        runner.close();
        impatient.close();
    }

    private TransformRunner.Outcome run(Transform t, long max) throws Exception {
        return run(runner, t, max);
    }

    private static TransformRunner.Outcome run(TransformRunner on, Transform t, long max) throws Exception {
        return on.run("canister-a", TestTransforms.nameOf(t), t, RESPONSE, new byte[0], max).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void appliesAWellBehavedTransform() throws Exception {
        TransformRunner.Outcome o = run(transform("upper", r -> r.withBody(
                new String(r.body(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8))), 1000);
        assertNull(o.reject());
        assertEquals("HELLO", new String(o.response().body(), StandardCharsets.UTF_8));
    }

    @Test
    void aTransformExceptionIsATransformError() throws Exception {
        TransformRunner.Outcome o = run(transform("picky", r -> {
            throw new TransformException("no field /price");
        }), 1000);
        assertEquals(RejectCode.CANISTER_ERROR, o.reject().code());
        assertEquals(RejectKind.TRANSFORM_ERROR, o.reject().kind());
        assertEquals("transform 'picky' rejected the response: no field /price", o.reject().message());
    }

    @Test
    void aCrashIsATransformError() throws Exception {
        TransformRunner.Outcome o = run(transform("buggy", r -> {
            throw new IllegalStateException("boom");
        }), 1000);
        assertEquals(RejectKind.TRANSFORM_ERROR, o.reject().kind());
        assertTrue(o.reject().message().contains("boom"), o.reject().message());
    }

    @Test
    void anEndlessLoopIsCutAndTheRunnerStaysUsable() throws Exception {
        TransformRunner.Outcome o = run(transform("spin", r -> {
            long x = 0;
            while (true) {
                x++;
                if (x == Long.MIN_VALUE) {
                    return r;
                }
            }
        }), 1000);
        assertEquals(RejectKind.TRANSFORM_ERROR, o.reject().kind());
        assertTrue(o.reject().message().contains("CPU-time limit of 300 ms"), o.reject().message());
        // both workers still serve: the spinning one was stopped
        for (int i = 0; i < 4; i++) {
            assertNull(run(transform("ok", r -> r), 1000).reject());
        }
    }

    @Test
    void unboundedAllocationIsCut() throws Exception {
        TransformRunner.Outcome o = run(transform("hog", r -> {
            List<byte[]> keep = new ArrayList<>();
            while (true) {
                keep.add(new byte[1024 * 1024]);
                if (keep.size() > 200) {
                    keep.clear();
                }
            }
        }), 1000);
        assertEquals(RejectKind.TRANSFORM_ERROR, o.reject().kind());
        assertTrue(o.reject().message().contains("allocated more than"), o.reject().message());
    }

    @Test
    void anOversizeOutputIsRejected() throws Exception {
        TransformRunner.Outcome o = run(transform("grow", r -> r.withBody(new byte[2000])), 1000);
        assertEquals(RejectCode.SYS_FATAL, o.reject().code());
        assertEquals(RejectKind.RESPONSE_TOO_LARGE, o.reject().kind());
        assertTrue(o.reject().message().contains("2000 bytes"), o.reject().message());
    }

    @Test
    void aSleepingTransformIsCutAtTheWallClockLimit() throws Exception {
        TransformRunner.Outcome o = run(impatient, transform("nap", r -> {
            Thread.sleep(60_000);
            return r;
        }), 1000);
        assertEquals(RejectCode.CANISTER_ERROR, o.reject().code());
        assertEquals(RejectKind.TRANSFORM_ERROR, o.reject().kind());
        assertTrue(o.reject().message().startsWith("transform 'nap' ran longer than its wall-clock limit of 500 ms"),
                o.reject().message());
        for (int i = 0; i < 4; i++) {
            assertNull(run(impatient, transform("ok", r -> r), 1000).reject());
        }
    }

    @Test
    void aTransformThatIgnoresItsInterruptIsStoppedAndItsWorkerReplaced() throws Exception {
        TransformRunner.Outcome o = run(impatient, transform("stubborn", r -> {
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ignored) {
                    // waits on regardless
                }
            }
        }), 1000);
        assertTrue(o.reject().message().contains("wall-clock limit of 500 ms"), o.reject().message());
        // Both workers serve again: the stopped one was replaced, not lost.
        List<java.util.concurrent.CompletableFuture<TransformRunner.Outcome>> both = new ArrayList<>();
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        for (int i = 0; i < 2; i++) {
            both.add(impatient.run("canister-a", "pair", transform("pair", r -> {
                together.await(10, TimeUnit.SECONDS); // needs two workers at the same time
                return r;
            }), RESPONSE, new byte[0], 1000).toCompletableFuture());
        }
        for (var f : both) {
            assertNull(f.get(10, TimeUnit.SECONDS).reject());
        }
    }
}
