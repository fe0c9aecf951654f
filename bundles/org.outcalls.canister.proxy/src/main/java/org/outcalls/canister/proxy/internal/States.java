package org.outcalls.canister.proxy.internal;

import java.util.Locale;
import org.outcalls.api.canister.KeyValueState;
import org.outcalls.api.canister.MutableKeyValueState;

/** Helpers for the proxy's key-value state. */
final class States {
    private States() {
    }

    static MutableKeyValueState mutable(KeyValueState state) {
        if (state instanceof MutableKeyValueState m) {
            return m;
        }
        throw new IllegalStateException("the proxy's state is read-only in a query");
    }

    /** Zero-padded so keys sort numerically. */
    static String sequenceKey(long n) {
        return String.format(Locale.ROOT, "%020d", n);
    }
}
