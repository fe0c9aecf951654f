package org.outcalls.canister.proxy.internal;

import org.outcalls.api.canister.CanisterException;
import org.outcalls.canister.proxy.ProxyQuotas;

/**
 * Whether a caller may open one more outcall: within its quotas and its own balance. Every
 * message names the caller's own figures only — never another account, never the canister's.
 */
final class Admission {
    private Admission() {
    }

    static void check(String caller, Account account, long attached, long requestBytes, ProxyQuotas quotas)
            throws CanisterException {
        if (account.openOutcalls() >= quotas.maxOpenOutcalls()) {
            throw Refusals.quotaExceeded("caller " + caller + " has " + account.openOutcalls() + " open outcalls; at most "
                    + quotas.maxOpenOutcalls() + " per caller may be open at once: wait for one to finish");
        }
        if (account.openRequestBytes() + requestBytes > quotas.maxOpenRequestBytes()) {
            throw Refusals.quotaExceeded("caller " + caller + " has open outcalls of " + account.openRequestBytes()
                    + " request bytes; this one adds " + requestBytes + " and at most " + quotas.maxOpenRequestBytes()
                    + " may be open at once per caller: wait for one to finish");
        }
        if (attached > account.balance()) {
            throw Refusals.insufficientCycles("the outcall attaches " + attached + " cycles, but the account of caller "
                    + caller + " holds " + account.balance() + " cycles; an admin of the subnet can top it up "
                    + "(outcalls admin top-up " + caller + " CYCLES)");
        }
    }
}
