package org.outcalls.replica.internal.exec;

import java.util.Optional;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * The management canister's bound on open request contexts: a valid {@code http_request} that
 * would open more than the registry's {@code maxOpenContexts} is refused with SYS_TRANSIENT
 * subnet_busy (nothing fetched, no fee). Without it, a subnet offered more than it decides opens
 * contexts faster than it closes them, each replica's work per block grows with the backlog, and
 * every request ends late. Depends on replicated state alone (the count of open contexts).
 */
final class ContextCapacity {
    private ContextCapacity() {
    }

    /**
     * @param open  contexts open now, those the current call opened included
     * @param limit the registry's bound
     * @return the reject if one more context would exceed the bound
     */
    static Optional<Reject> check(int open, int limit) {
        if (open < limit) {
            return Optional.empty();
        }
        return Optional.of(Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.SUBNET_BUSY, "the subnet is busy: " + open
                + " request contexts are open, and it keeps at most " + limit + " open; nothing was fetched and no fee "
                + "charged; retry later"));
    }
}
