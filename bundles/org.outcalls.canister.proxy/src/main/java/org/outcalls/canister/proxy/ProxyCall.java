package org.outcalls.canister.proxy;

import java.util.Objects;
import java.util.OptionalLong;
import org.outcalls.api.OutcallRequest;

/**
 * One call to the proxy canister: the outcall to make and the cycles to attach (absent: exactly
 * the fee the subnet charges for it).
 */
public record ProxyCall(OutcallRequest request, OptionalLong cycles) {
    public ProxyCall {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(cycles, "cycles");
    }
}
