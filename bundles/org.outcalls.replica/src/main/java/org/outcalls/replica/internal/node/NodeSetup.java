package org.outcalls.replica.internal.node;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.replica.local.PluginSource;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.transport.Clock;
import org.outcalls.transport.Scheduler;
import org.outcalls.transport.Transport;

/**
 * Everything one replica is made of, passed in so the same wiring serves tests, `run` and `replica`.
 *
 * @param scripted whether an {@link org.outcalls.replica.byzantine.Adversary} decides what this
 *                 replica sends (development and tests only)
 */
public record NodeSetup(Genesis genesis, NodeKey key, Transport transport, Scheduler scheduler, Clock clock,
                        HttpsAdapter adapter, TransformRunner transforms, PluginSource plugins, CanisterResolver canisters,
                        ConsensusTiming timing, FaultMode consensusFault, boolean scripted, Executor signing,
                        BatchVerifier verifier) {

    public NodeSetup {
        Objects.requireNonNull(genesis, "genesis");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(transforms, "transforms");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(canisters, "canisters");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(consensusFault, "consensusFault");
        Objects.requireNonNull(signing, "signing");
        Objects.requireNonNull(verifier, "verifier");
    }
}
