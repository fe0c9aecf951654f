package org.outcalls.replica.internal.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Cycles;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallContext;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.OutcallOutcome;

/** The admission window: grows while decisions are prompt and it is used, halves when they are late, within bounds. */
class AdmissionWindowTest {
    private static final String HASH = "ab".repeat(32);
    private static final int LIMIT = 1024;
    private static final long T0 = 1_700_000_000_000L;
    private long height;

    private static OutcallOutcome decided(long requestTime, OutcallOutcome.How how) {
        OutcallContext c = new OutcallContext(HASH, 1, "c", OutcallRequest.builder("https://example.com/").build(), 0, 0,
                requestTime, "1", "", 1, HASH);
        OutcallResult r = OutcallResult.completed(1, HttpResponse.of(200, List.of(), new byte[0]), new Cycles(0, 0, 0),
                new byte[0]).withContext(c);
        return new OutcallOutcome("c", "m", r, how, null);
    }

    /** A block at {@code time} that decided {@code count} requests made {@code latency} ms before it. */
    private ExecutionResult block(long time, int count, long latency) {
        List<OutcallOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(decided(T0 + time - latency, OutcallOutcome.How.DELIVERED));
        }
        return new ExecutionResult(++height, T0 + time, new byte[32], 1, List.of(), List.of(), outcomes, List.of());
    }

    @Test
    void startsAtTheInitialWindowWithinTheBound() {
        assertEquals(AdmissionWindow.INITIAL_WINDOW, new AdmissionWindow(0, 0, LIMIT).window());
        assertEquals(100, new AdmissionWindow(0, 0, 100).window(), "never above the registry's bound");
        assertEquals(100, new AdmissionWindow(0, 40, 100).room() + 40);
    }

    @Test
    void growsByWhatWasDecidedWhileInUseAndPromptUpToTheBound() {
        AdmissionWindow w = new AdmissionWindow(0, 0, LIMIT);
        w.executed(block(1_000, 100, AdmissionWindow.LATE_MILLIS), 250, LIMIT);
        assertEquals(256, w.window(), "not in use before this block (0 open): no growth");
        w.executed(block(2_000, 100, AdmissionWindow.LATE_MILLIS), 250, LIMIT);
        assertEquals(356, w.window(), "250 open + 100 decided of 256, each exactly at the late mark: grows by 100");
        for (int i = 0; i < 20; i++) {
            w.executed(block(3_000 + i, 500, 10), 1024, LIMIT);
        }
        assertEquals(LIMIT, w.window(), "never above the bound");
    }

    @Test
    void halvesWhenTheMedianDecisionIsLateAtMostOncePerLatePeriod() {
        AdmissionWindow w = new AdmissionWindow(0, 0, LIMIT);
        w.executed(block(10_000, 3, AdmissionWindow.LATE_MILLIS + 1), 200, LIMIT);
        assertEquals(128, w.window());
        w.executed(block(10_000 + AdmissionWindow.LATE_MILLIS - 1, 3, 60_000), 200, LIMIT);
        assertEquals(128, w.window(), "the last cut has not shown yet");
        w.executed(block(10_000 + AdmissionWindow.LATE_MILLIS, 3, 60_000), 200, LIMIT);
        assertEquals(64, w.window());
        for (int i = 1; i < 10; i++) {
            w.executed(block(10_000 + (i + 1) * AdmissionWindow.LATE_MILLIS, 3, 60_000), 10, LIMIT);
        }
        assertEquals(AdmissionWindow.MIN_WINDOW, w.window(), "never below the minimum");
        assertEquals(AdmissionWindow.MIN_WINDOW - 10, w.room(), "room is the window less what is open");
    }

    @Test
    void aMinorityOfLateDecisionsDoesNotCutButATimeoutIsLate() {
        AdmissionWindow w = new AdmissionWindow(0, 0, LIMIT);
        List<OutcallOutcome> mixed = new ArrayList<>();
        mixed.add(decided(T0, OutcallOutcome.How.DELIVERED)); // 20 s: a slow origin
        mixed.add(decided(T0 + 19_990, OutcallOutcome.How.DELIVERED));
        mixed.add(decided(T0 + 19_990, OutcallOutcome.How.DELIVERED));
        w.executed(new ExecutionResult(1, T0 + 20_000, new byte[32], 1, List.of(), List.of(), mixed, List.of()), 0, LIMIT);
        assertEquals(256, w.window(), "the median is prompt");
        List<OutcallOutcome> timedOut = List.of(decided(T0 + 19_990, OutcallOutcome.How.TIMED_OUT));
        w.executed(new ExecutionResult(2, T0 + 20_010, new byte[32], 1, List.of(), List.of(), timedOut, List.of()), 0, LIMIT);
        assertEquals(128, w.window(), "a timeout is late whatever its times say");
    }
}
