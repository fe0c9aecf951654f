package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Fees;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.MessageLimits;
import org.outcalls.api.canister.MutableKeyValueState;

/**
 * A canister that throws, recurses without end or goes past a per-call bound traps: its caller gets
 * a deterministic failure, the call's changes are rolled back exactly, and the block's other
 * messages execute. Only a local fault (here a simulated OutOfMemoryError) halts the replica, saying why.
 */
class CanisterTrapTest {
    private final Fixture f = new Fixture();

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** Update methods that misbehave after writing a key, each its own way. */
    private void misbehave(CallContext c, String method) {
        c.state().put("partial", new byte[] {1});
        switch (method) {
            case "recurse" -> recurse(0);
            case "throw" -> throw new IllegalArgumentException("bad input");
            case "huge-message" -> throw new IllegalStateException("x".repeat(10_000_000));
            case "write-too-much" -> {
                for (int i = 0; ; i++) {
                    c.state().put("big/" + i, new byte[MutableKeyValueState.MAX_VALUE_BYTES]);
                }
            }
            case "write-too-much-and-hide-it" -> {
                try {
                    for (int i = 0; i <= MessageLimits.MAX_KEY_WRITES; i++) {
                        c.state().put("k/" + i, new byte[] {1});
                    }
                } catch (IllegalStateException swallowed) {
                    // the canister catches the limit and returns normally: the call still traps
                }
            }
            case "too-many-outcalls" -> {
                OutcallRequest r = OutcallRequest.builder("https://example.com/x").build();
                try {
                    for (int i = 0; i <= MessageLimits.MAX_OUTCALLS; i++) {
                        c.httpRequest(r, Fees.httpRequestFee(4, r));
                    }
                } catch (org.outcalls.api.canister.CanisterException e) {
                    throw new AssertionError(e);
                }
            }
            case "out-of-memory" -> throw new OutOfMemoryError("simulated");
            default -> throw new AssertionError(method);
        }
    }

    @Test
    void eachTrapIsTheCallersFailureAndTheBlockGoesOn() {
        f.canister.onUpdate = (c, m, a) -> misbehave(c, m);
        Replica replica = f.replica();
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1, f.call("put", "a=1"), f.call("recurse", ""),
                f.call("throw", ""), f.call("huge-message", ""), f.call("write-too-much", ""),
                f.call("write-too-much-and-hide-it", ""), f.call("too-many-outcalls", ""), f.call("put", "b=2"));
        List<String> messages = res.ingress().stream().map(IngressStatus::message).toList();
        assertEquals("", messages.get(0));
        assertEquals("canister test trapped: StackOverflowError", messages.get(1));
        assertEquals("canister test trapped: IllegalArgumentException: bad input", messages.get(2));
        assertTrue(messages.get(3).startsWith("canister test trapped: IllegalStateException: xxx")
                && messages.get(3).length() < 1100, "a canister's message cannot make a replica keep more");
        assertTrue(messages.get(4).matches("canister test trapped: wrote \\d+ bytes to state in one call; at most "
                + MessageLimits.MAX_WRITTEN_BYTES + " are allowed"), messages.get(4));
        assertEquals("canister test trapped: made more than " + MessageLimits.MAX_KEY_WRITES + " puts and deletes in"
                + " one call", messages.get(5));
        assertEquals("canister test trapped: made more than " + MessageLimits.MAX_OUTCALLS + " outcalls in one call",
                messages.get(6));
        assertEquals("", messages.get(7), "the message after the traps executes");
        assertEquals(List.of(IngressStatus.State.COMPLETED, IngressStatus.State.FAILED, IngressStatus.State.FAILED,
                IngressStatus.State.FAILED, IngressStatus.State.FAILED, IngressStatus.State.FAILED,
                IngressStatus.State.FAILED, IngressStatus.State.COMPLETED),
                res.ingress().stream().map(IngressStatus::state).toList());
        assertTrue(res.createdContexts().isEmpty(), "no outcall of a trapped call is made");
        assertEquals(Fixture.INITIAL_CYCLES, f.balance(replica), "no cycles of a trapped call are spent");
    }

    @Test
    void aTrappedCallLeavesTheStateExactlyAsBefore() {
        f.canister.onUpdate = (c, m, a) -> misbehave(c, m);
        IngressMessage a = f.call("put", "a=1");
        IngressMessage b = f.call("put", "b=2");
        Replica trapped = f.replica();
        Replica clean = f.replica();
        trapped.execute(Fixture.block(1, Fixture.T0 + 1, List.of(a, f.call("recurse", ""), f.call("write-too-much", ""),
                f.call("write-too-much-and-hide-it", ""), f.call("too-many-outcalls", ""), b), List.of()));
        clean.execute(Fixture.block(1, Fixture.T0 + 1, List.of(a, b), List.of()));
        // the trapped messages' ids are remembered until they expire, so compare once they are forgotten
        long late = Fixture.T0 + 120_000;
        assertArrayEquals(Fixture.run(clean, late).stateHash(), Fixture.run(trapped, late).stateHash());
    }

    @Test
    void twoReplicasTrapAlike() {
        f.canister.onUpdate = (c, m, a) -> misbehave(c, m);
        List<IngressMessage> block = List.of(f.call("recurse", ""), f.call("throw", ""), f.call("write-too-much", ""),
                f.call("put", "z=9"));
        Replica x = f.replica();
        Replica y = f.replica();
        ExecutionResult rx = x.execute(Fixture.block(1, Fixture.T0 + 1, block, List.of()));
        ExecutionResult ry = y.execute(Fixture.block(1, Fixture.T0 + 1, block, List.of()));
        assertArrayEquals(rx.stateHash(), ry.stateHash());
        assertEquals(rx.ingress(), ry.ingress());
    }

    @Test
    void aLocalFaultHaltsTheReplicaAndSaysWhereAndWhy() {
        f.canister.onUpdate = (c, m, a) -> misbehave(c, m);
        Replica replica = f.replica();
        Fixture.run(replica, Fixture.T0 + 1, f.call("put", "a=1"));
        assertThrows(OutOfMemoryError.class, () -> Fixture.run(replica, Fixture.T0 + 2, f.call("out-of-memory", "")));
        assertEquals(new Halt(2, "execution of height 2 failed: java.lang.OutOfMemoryError: simulated"),
                replica.halt().orElseThrow());
        IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> Fixture.run(replica, Fixture.T0 + 3, f.call("put", "b=2")));
        assertTrue(again.getMessage().contains("OutOfMemoryError: simulated"), again.getMessage());
    }
}
