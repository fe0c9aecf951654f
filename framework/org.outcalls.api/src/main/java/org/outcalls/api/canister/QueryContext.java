package org.outcalls.api.canister;

import org.osgi.annotation.versioning.ProviderType;

/** What a canister may read: its own state and the agreed time and height. */
@ProviderType
public interface QueryContext {

    String canisterId();

    /** The state at the latest executed height (read-only for queries). */
    KeyValueState state();

    /** The agreed time of the block being executed (or last executed), in Unix milliseconds. */
    long blockTime();

    /** The height of that block. */
    long height();

    /** n, the number of replicas in the subnet. */
    int subnetSize();

    /** The canister's cycles balance. */
    long cyclesBalance();
}
