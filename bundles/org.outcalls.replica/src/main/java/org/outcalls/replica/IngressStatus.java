package org.outcalls.replica;

import java.util.Objects;

/**
 * What became of one ingress message in a block.
 *
 * @param messageId hex message id
 * @param canisterId the canister it was sent to
 * @param method     the method it called
 * @param state      the outcome
 * @param message    why it failed or was dropped; empty when completed
 * @param height     the block's height
 */
public record IngressStatus(String messageId, String canisterId, String method, State state, String message,
                            long height) {
    public IngressStatus {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(state, "state");
        message = message == null ? "" : message;
    }

    public enum State {
        /** The canister (or the management canister) handled it; its state changes are kept. */
        COMPLETED,
        /** The canister refused or failed; its state changes and outcall requests were discarded. */
        FAILED,
        /** The same message id was executed before; dropped. */
        DUPLICATE,
        /** Its expiry lies before the block time; dropped. */
        EXPIRED,
        /** Bad signature or an expiry too far ahead; dropped (a correct block never carries one). */
        INVALID
    }
}
