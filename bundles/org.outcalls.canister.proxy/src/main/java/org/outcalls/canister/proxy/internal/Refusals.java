package org.outcalls.canister.proxy.internal;

import org.outcalls.api.canister.CanisterException;
import org.outcalls.canister.proxy.ProxyProtocol;

/**
 * The proxy's refusals: thrown from an update, so the call changes nothing (no record, no cycles)
 * and its caller alone reads why, as the failure of its own ingress message
 * ({@code canister proxy refused: KIND: message}; {@link ProxyProtocol#refusal} reads it back).
 */
final class Refusals {
    private Refusals() {
    }

    static CanisterException insufficientCycles(String message) {
        return new CanisterException(ProxyProtocol.KIND_INSUFFICIENT_CYCLES + ": " + message);
    }

    static CanisterException quotaExceeded(String message) {
        return new CanisterException(ProxyProtocol.KIND_QUOTA_EXCEEDED + ": " + message);
    }

    static CanisterException invalidArgument(String message) {
        return new CanisterException(ProxyProtocol.KIND_INVALID_ARGUMENT + ": " + message);
    }
}
