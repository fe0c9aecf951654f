package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.OutcallRequest;

/**
 * The baseline: the adapter's own Vert.x client, with the settings replicas use, fetching the
 * same request directly. No consensus, no signatures: what a plain HTTPS call costs here.
 */
final class DirectTarget implements Target {
    private final Adapters adapters;
    private final HttpsAdapter adapter;
    private final Probe probe;

    DirectTarget(Vertx vertx, Path originCa, Probe probe) {
        this.adapters = new Adapters(vertx, originCa, 1);
        this.adapter = adapters.forReplica(0);
        this.probe = probe;
        probe.deliveriesPerOutcall(1);
    }

    @Override
    public String transport() {
        return "direct fetch";
    }

    @Override
    public int replicas() {
        return 1;
    }

    @Override
    public long height() {
        return 0;
    }

    @Override
    public boolean submit(long tag, String url) {
        OutcallRequest r = OutcallRequest.builder(url).maxResponseBytes(BenchCanister.MAX_RESPONSE_BYTES).build();
        adapter.fetch(r).whenComplete((result, error) -> probe.delivered(tag,
                error != null ? error.toString() : result.reject().map(Object::toString).orElse(null), false));
        return true;
    }

    @Override
    public void close() {
        adapters.close();
    }
}
