package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Cycles;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.RequestContext;

class ContextHistoryTest {
    private static final Hash SUBNET = Hash.sha256(new byte[] {1});

    private static RequestContext context(long callbackId, long height) {
        return new RequestContext(callbackId, "proxy", OutcallRequest.builder("https://a.example/" + callbackId).build(),
                1_000 + height, height, seed(height), "two-thirds", "1.0.0", "", 1, 100, 90, "m" + callbackId,
                "caller");
    }

    private static byte[] seed(long height) {
        byte[] seed = new byte[32];
        seed[0] = (byte) height;
        return seed;
    }

    private static OutcallOutcome closed(long callbackId) {
        return new OutcallOutcome("proxy", "m" + callbackId, OutcallResult.rejected(callbackId,
                Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.TIMEOUT, "timed out"), new Cycles(100, 90, 10), new byte[0]),
                OutcallOutcome.How.TIMED_OUT, Optional.empty());
    }

    private static ExecutionResult block(long height, List<RequestContext> created, List<OutcallOutcome> outcomes) {
        return new ExecutionResult(height, height, new byte[32], 1, List.of(), created, outcomes, List.of());
    }

    @Test
    void aContextIsOpenFromTheHeightThatCreatedItToTheHeightBeforeTheOneThatClosedIt() {
        ContextHistory h = new ContextHistory(SUBNET, 10);
        h.start(0, List.of());
        h.executed(block(1, List.of(), List.of()));
        h.executed(block(2, List.of(context(5, 2)), List.of()));
        h.executed(block(3, List.of(), List.of()));
        h.executed(block(4, List.of(), List.of(closed(5))));
        assertTrue(h.openAt(5, 1).isEmpty(), "not created yet");
        assertEquals(ContextInfos.of(SUBNET, context(5, 2)), h.openAt(5, 2).orElseThrow());
        assertTrue(h.openAt(5, 3).isPresent());
        assertTrue(h.openAt(5, 4).isEmpty(), "closed by height 4");
        assertTrue(h.openAt(6, 4).isEmpty(), "never created");
        assertEquals(2, h.createdHeight(5));
        assertEquals(4, h.executedHeight());
    }

    @Test
    void closedContextsAreForgottenAfterTheRetentionAndOlderHeightsAreNotAnswered() {
        ContextHistory h = new ContextHistory(SUBNET, 3);
        h.start(0, List.of());
        h.executed(block(1, List.of(context(1, 1), context(2, 1)), List.of()));
        h.executed(block(2, List.of(), List.of(closed(1))));
        for (long height = 3; height <= 6; height++) {
            h.executed(block(height, List.of(), List.of()));
        }
        assertEquals(3, h.oldestHeight());
        assertEquals(1, h.size(), "context 1 closed at 2 and is forgotten; 2 is still open");
        assertTrue(h.openAt(2, 6).isPresent());
        assertThrows(IllegalArgumentException.class, () -> h.openAt(2, 2));
        assertThrows(IllegalArgumentException.class, () -> h.openAt(2, 7));
    }

    @Test
    void aRestoredReplicaKnowsTheOpenContextsOfItsCheckpointWithTheirCreationHeights() {
        ContextHistory h = new ContextHistory(SUBNET, 100);
        h.start(40, List.of(context(9, 31)));
        assertEquals(40, h.oldestHeight(), "nothing older than the checkpoint is known");
        assertTrue(h.openAt(9, 40).isPresent());
        assertEquals(31, h.createdHeight(9));
        assertThrows(IllegalStateException.class, () -> h.executed(block(42, List.of(), List.of())), "heights follow each other");
    }
}
