package org.outcalls.canister.proxy;

import org.outcalls.api.canister.Canister;
import org.outcalls.canister.proxy.internal.ProxyCanister;

/** Creates the proxy canister for subnets assembled outside OSGi (tests, tools). */
public final class ProxyCanisters {
    private ProxyCanisters() {
    }

    /** A proxy canister with {@link ProxyQuotas#DEFAULT}. */
    public static Canister create() {
        return create(ProxyQuotas.DEFAULT);
    }

    /** A proxy canister with other quotas (tests: a short retention, few open outcalls). */
    public static Canister create(ProxyQuotas quotas) {
        return new ProxyCanister(quotas);
    }
}
