package org.outcalls.canister.proxy.internal;

import java.nio.charset.StandardCharsets;
import org.outcalls.api.canister.KeyValueState;

/**
 * The callers' accounts, {@code a/<principal>}, and {@code m/credited}: the sum of all balances.
 * Cycles attached to an outcall leave both the caller's balance and the canister's, and refunds
 * return to both, so the canister's balance never falls below what it credited as long as top-ups
 * stay within it ({@link #uncredited}).
 */
final class Accounts {
    private static final String ACCOUNT = "a/";
    private static final String CREDITED = "m/credited";

    private final KeyValueState state;

    Accounts(KeyValueState state) {
        this.state = state;
    }

    Account of(String principal) {
        return state.get(ACCOUNT + principal).map(Account::decode).orElse(Account.EMPTY);
    }

    /** Stores the account; an empty one takes no state at all. */
    void put(String principal, Account account) {
        if (account.isEmpty()) {
            States.mutable(state).delete(ACCOUNT + principal);
        } else {
            States.mutable(state).put(ACCOUNT + principal, account.encode());
        }
    }

    /** Changes a balance and the credited total together. */
    void adjustCredited(long delta) {
        long total = Math.addExact(credited(), delta);
        States.mutable(state).put(CREDITED, Long.toString(total).getBytes(StandardCharsets.US_ASCII));
    }

    long credited() {
        return state.get(CREDITED).map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII))).orElse(0L);
    }

    /** What the canister holds beyond what it credited: the most a top-up may add. */
    long uncredited(long canisterBalance) {
        return Math.max(0, canisterBalance - credited());
    }
}
