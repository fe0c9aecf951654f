package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    private final TransformRunner runner = new TransformRunner(
            new TransformRunner.Budget(Duration.ofMillis(300), 64L * 1024 * 1024), 2);
    private static final HttpResponse RESPONSE = HttpResponse.of(200, List.of(), "hello".getBytes(StandardCharsets.UTF_8));

    @AfterEach
    void close() {
        runner.close();
    }

    private TransformRunner.Outcome run(Transform t, long max) throws Exception {
        return runner.run(t, RESPONSE, new byte[0], max).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Transform transform(String name, Body body) {
        return new Transform() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public HttpResponse apply(HttpResponse response, byte[] context) throws TransformException {
                return body.apply(response);
            }
        };
    }

    interface Body {
        HttpResponse apply(HttpResponse r) throws TransformException;
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
}
