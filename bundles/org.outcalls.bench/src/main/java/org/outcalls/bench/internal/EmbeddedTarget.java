package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.replica.local.LocalSubnets;
import org.outcalls.transport.NetworkConditions;

/**
 * The embedded subnet of {@code outcalls run} ({@link LocalSubnet}): n replicas in this JVM over
 * the in-JVM transport, each with its own adapter, making outcalls through the benchmark canister.
 */
final class EmbeddedTarget implements Target {
    private final Adapters adapters;
    private final LocalSubnet subnet;
    private final int n;

    EmbeddedTarget(Vertx vertx, Path originCa, int n, Probe probe) throws IOException {
        this.n = n;
        this.adapters = new Adapters(vertx, originCa, n);
        probe.deliveriesPerOutcall(n);
        LocalSubnet.Settings settings = new LocalSubnet.Settings(n, 0, LocalSubnet.Fault.NONE, Subnets.TIMING,
                Subnets.CONSENSUS_TIMEOUT_MILLIS, Subnets.enabledPlugins(), Map.of(BenchCanister.ID, Subnets.CANISTER_CYCLES),
                null, NetworkConditions.perfect(), 1);
        this.subnet = LocalSubnets.start(settings, adapters.perReplica(), Subnets.plugins(),
                Subnets.canisters(new BenchCanister(probe)));
    }

    @Override
    public String transport() {
        return "in-JVM";
    }

    @Override
    public int replicas() {
        return n;
    }

    @Override
    public long height() {
        return subnet.replicas().get(0).height();
    }

    @Override
    public boolean submit(long tag, String url) {
        return !subnet.submit(BenchCanister.ID, BenchCanister.METHOD, BenchCanister.argument(tag, url))
                .toCompletableFuture().isCompletedExceptionally();
    }

    @Override
    public void close() {
        subnet.close();
        adapters.close();
    }
}
