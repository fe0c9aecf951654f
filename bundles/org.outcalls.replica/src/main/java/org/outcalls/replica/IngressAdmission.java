package org.outcalls.replica;

/** What became of a message submitted to a replica's ingress pool. */
public record IngressAdmission(State state, String messageId, String message) {
    public enum State {
        /** Pooled (and gossiped, if it came from this replica's gateway). */
        ACCEPTED,
        /** Already pooled or already executed: nothing to do, the first one counts. */
        DUPLICATE,
        /** Refused; {@code message} says why (malformed, bad signature, expiry, pool full). */
        REJECTED,
        /** Refused for now: the subnet is at its high-water mark; try again later. */
        SUBNET_BUSY,
        /** Refused for now: this caller holds its share of the high-water mark; try again later. */
        CALLER_OVER_SHARE
    }

    /** Whether the refusal is only for now (busy), so the same message may be submitted again later. */
    public boolean busy() {
        return state == State.SUBNET_BUSY || state == State.CALLER_OVER_SHARE;
    }

    public static IngressAdmission accepted(String id) {
        return new IngressAdmission(State.ACCEPTED, id, "");
    }

    public static IngressAdmission duplicate(String id, String message) {
        return new IngressAdmission(State.DUPLICATE, id, message);
    }

    public static IngressAdmission rejected(String id, String message) {
        return new IngressAdmission(State.REJECTED, id, message);
    }
}
