package org.outcalls.api.canister;

import org.osgi.annotation.versioning.ProviderType;
import org.outcalls.api.OutcallRequest;

/** What a canister may do during replicated execution. */
@ProviderType
public interface CallContext extends QueryContext {

    @Override
    MutableKeyValueState state();

    /** The caller's principal: the hex id of the key that signed the ingress message. */
    String caller();

    /**
     * Whether the caller is an admin of the subnet: its principal is that of an admin key in the
     * subnet registry at the height being executed. Canisters that hold something on behalf of
     * others (the proxy's cycles accounts) let only admins change it. Hosts implement it; the
     * default answers {@code false}, so a host that knows no admins grants nothing.
     */
    default boolean callerIsAdmin() {
        return false;
    }

    /** The ingress message's id (hex), unique per message. */
    String messageId();

    /**
     * Calls the management canister's {@code http_request}. The given cycles leave the canister's
     * balance now; the fee is charged and the rest refunded with the result. Every call gets
     * exactly one {@link Canister#onOutcallResult} — a reject for invalid arguments or too few
     * cycles arrives after the current call returns, in the same block.
     *
     * @return the callback id the result will carry
     * @throws CanisterException     if the balance holds fewer than {@code cycles}
     * @throws IllegalStateException if this is the call's {@link MessageLimits#MAX_OUTCALLS}+1st
     *                               request: the call traps
     */
    long httpRequest(OutcallRequest request, long cycles) throws CanisterException;
}
