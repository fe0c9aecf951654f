package org.outcalls.adapter.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;

/**
 * The adapter's own check of the request limits, as defence in depth behind the management
 * canister's: {@link Limits#checkRequest}, with the same rejects, over the request less one
 * {@code Idempotency-Key} header (the methods plugin adds it after the limits were checked, and
 * it counts toward no limit, like the default {@code user-agent}).
 */
final class RequestLimits {
    static final String IDEMPOTENCY_KEY = "idempotency-key";

    private RequestLimits() {
    }

    static Optional<Reject> check(OutcallRequest request) {
        List<HttpHeader> counted = new ArrayList<>(request.headers().size());
        boolean freeOneUsed = false;
        for (HttpHeader h : request.headers()) {
            if (!freeOneUsed && h.name().equalsIgnoreCase(IDEMPOTENCY_KEY)
                    && h.value().length() <= Limits.MAX_HEADER_VALUE_BYTES) {
                freeOneUsed = true;
                continue;
            }
            counted.add(h);
        }
        OutcallRequest checked = counted.size() == request.headers().size() ? request : request.withHeaders(counted);
        return Limits.checkRequest(checked);
    }
}
