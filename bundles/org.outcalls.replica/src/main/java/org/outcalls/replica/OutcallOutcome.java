package org.outcalls.replica;

import java.util.Objects;
import java.util.Optional;
import org.outcalls.api.OutcallResult;

/**
 * A result handed to a canister in this block: by a delivery, by the timeout, or straight from
 * {@code http_request} (a reject for invalid arguments or too few cycles).
 *
 * @param canisterId      the canister that received it
 * @param messageId       hex id of the ingress message that made the request
 * @param result          what the canister's {@code onOutcallResult} got
 * @param how             how the request ended
 * @param callbackFailure the callback's exception message if it failed (its state changes were discarded)
 */
public record OutcallOutcome(String canisterId, String messageId, OutcallResult result, How how,
                             Optional<String> callbackFailure) {
    public OutcallOutcome {
        Objects.requireNonNull(canisterId, "canisterId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(how, "how");
        callbackFailure = callbackFailure == null ? Optional.empty() : callbackFailure;
    }

    public long callbackId() {
        return result.callbackId();
    }

    public enum How {
        /** A block delivered the agreed response, value or reject. */
        DELIVERED,
        /** Block time passed request time + the consensus timeout. */
        TIMED_OUT,
        /** The management canister rejected the call; no context was stored. */
        REJECTED_AT_CALL
    }
}
