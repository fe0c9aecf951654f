package org.outcalls.bench.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.outcalls.api.Policies;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.replica.local.InstalledPlugin;
import org.outcalls.replica.local.Plugins;

/** What every benchmark subnet shares: timing, the policy plugin, the canister. */
final class Subnets {
    /** The agreement policy the distribution ships, created by name (it lives in plugins/). */
    static final String TWO_THIRDS_CLASS = "org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy";
    static final String PLUGIN_VERSION = "1.0.0";
    /** As {@code outcalls run} and {@code outcalls subnet init} configure it: Δ 300 ms, heartbeat 1 s. */
    static final ConsensusTiming TIMING = new ConsensusTiming(Duration.ofMillis(300), Duration.ofSeconds(1),
            ConsensusTiming.DEFAULT.clockTolerance(), ConsensusTiming.DEFAULT.ancestryDepth());
    static final long CONSENSUS_TIMEOUT_MILLIS = 60_000;
    static final long CANISTER_CYCLES = 100_000_000_000_000_000L;

    private Subnets() {
    }

    static Plugins plugins() {
        AgreementPolicy twoThirds;
        try {
            twoThirds = (AgreementPolicy) Class.forName(TWO_THIRDS_CLASS, true, Subnets.class.getClassLoader())
                    .getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the two-thirds policy plugin (" + TWO_THIRDS_CLASS + ") is not on the class "
                    + "path: run the benchmark from the distribution (outcalls bench)", e);
        }
        return Plugins.of(List.of(), List.of(new InstalledPlugin<>(Policies.TWO_THIRDS, PLUGIN_VERSION, twoThirds)), List.of());
    }

    static Map<String, String> enabledPlugins() {
        return Map.of(Policies.TWO_THIRDS, PLUGIN_VERSION);
    }

    static CanisterResolver canisters(BenchCanister canister) {
        return id -> BenchCanister.ID.equals(id) ? Optional.of(canister) : Optional.empty();
    }
}
