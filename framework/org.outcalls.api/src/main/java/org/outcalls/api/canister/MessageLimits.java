package org.outcalls.api.canister;

/**
 * What one canister call (an update, or the callback of one outcall result) may do, counted by the
 * host the same way on every replica. A call that goes past a bound traps: the host throws an
 * unchecked exception, and the call's state changes, cycles and outcalls are all discarded even if
 * the canister catches it. Any exception or {@link StackOverflowError} a canister lets escape traps
 * the call the same way ("canister ID trapped: ..."); the block goes on with its other messages.
 *
 * <p>The host cannot bound what a canister computes or allocates on its own heap: a canister that
 * loops without end stalls every replica, and one that exhausts the heap halts the replicas that
 * run out (a local fault, reported with its reason). Canisters must not do either.
 */
public final class MessageLimits {
    /**
     * Bytes one call may write to its canister's state: the UTF-8 bytes of every key put or deleted
     * plus every value put, overwrites included. Four values of the largest size.
     */
    public static final long MAX_WRITTEN_BYTES = 4L * MutableKeyValueState.MAX_VALUE_BYTES;
    /** Puts and deletes one call may make. */
    public static final int MAX_KEY_WRITES = 10_000;
    /** {@link CallContext#httpRequest} calls one call may make: as many as one block can answer. */
    public static final int MAX_OUTCALLS = 500;

    private MessageLimits() {
    }
}
