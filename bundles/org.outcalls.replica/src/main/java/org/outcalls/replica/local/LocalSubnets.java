package org.outcalls.replica.local;

import java.io.IOException;
import java.util.List;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.internal.local.InJvmSubnet;

/** Starts {@link LocalSubnet}s, whose implementation this bundle keeps to itself. */
public final class LocalSubnets {
    private LocalSubnets() {
    }

    /** A subnet whose replicas all fetch through {@code adapter}; it has started when this returns. */
    public static LocalSubnet start(LocalSubnet.Settings settings, HttpsAdapter adapter, Plugins plugins,
            CanisterResolver canisters) throws IOException {
        return new InJvmSubnet(settings, adapter, plugins, canisters);
    }

    /** With one adapter per replica, in replica order (tests give each its own, to tell their requests apart). */
    public static LocalSubnet start(LocalSubnet.Settings settings, List<? extends HttpsAdapter> adapters, Plugins plugins,
            CanisterResolver canisters) throws IOException {
        return new InJvmSubnet(settings, adapters, plugins, canisters);
    }
}
