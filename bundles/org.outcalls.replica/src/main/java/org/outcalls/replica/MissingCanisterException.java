package org.outcalls.replica;

/**
 * A canister that the registry installs is not available on this replica. Execution stops before
 * the block changes anything; the same block can be executed again once the canister is there.
 * Never skipped: skipping would make this replica decide differently from the others.
 */
public final class MissingCanisterException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String canisterId;

    public MissingCanisterException(String canisterId, long height) {
        super("canister '" + canisterId + "' is installed in the subnet registry but not available on this replica;"
                + " execution stops before height " + height + " until it is");
        this.canisterId = canisterId;
    }

    public String canisterId() {
        return canisterId;
    }
}
