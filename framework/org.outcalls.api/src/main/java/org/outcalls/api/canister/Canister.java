package org.outcalls.api.canister;

import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.api.OutcallResult;

/**
 * A deterministic program replicated on every replica. Each method runs during replicated
 * execution, in block order, on every replica, so it must use only its arguments and the
 * context: no clock (use {@link QueryContext#blockTime()}), no random, no I/O, no static state,
 * no iteration order of hash-based collections. All state lives in the host-managed
 * {@link KeyValueState}.
 */
@ConsumerType
public interface Canister {

    /** Service property holding the canister's id; must equal {@link #id()}. */
    String ID_PROPERTY = "outcalls.canister.id";

    /** The canister's id, for example {@code proxy}. */
    String id();

    /**
     * Handles an ingress message (an update call). Throwing {@link CanisterException} discards
     * every state change the call made, and the outcalls it requested are not made; so does any
     * other exception, which traps the call, and so does going past a {@link MessageLimits} bound.
     */
    void update(CallContext context, String method, byte[] argument) throws CanisterException;

    /** Receives the one result of an outcall this canister requested. Called exactly once per callback. */
    void onOutcallResult(CallContext context, OutcallResult result) throws CanisterException;

    /** Answers a read-only query against the latest executed state. */
    byte[] query(QueryContext context, String method, byte[] argument) throws CanisterException;
}
