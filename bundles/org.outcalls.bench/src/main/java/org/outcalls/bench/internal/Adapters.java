package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.adapter.HttpsAdapters;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.OutcallRequest;

/**
 * The adapters of one benchmark target: each replica has its own (its own connection pool, as on
 * its own host), all with the adapter's default settings except that the origin's CA is trusted
 * and loopback allowed. The direct fetch uses exactly the same.
 */
final class Adapters implements AutoCloseable {
    private final List<HttpsAdapters.Closeable> adapters = new ArrayList<>();

    Adapters(Vertx vertx, Path originCa, int count) {
        Map<String, Object> config = new HashMap<>();
        config.put("trustCa", new String[] {originCa.toString()});
        config.put("allowTargets", new String[] {"127.0.0.1", "::1"});
        for (int i = 0; i < count; i++) {
            adapters.add(HttpsAdapters.create(vertx, config));
        }
    }

    /** Replica {@code i}'s adapter; it names the replica to the origin on {@code /hold} requests only. */
    HttpsAdapter forReplica(int i) {
        return tagged(adapters.get(i), i);
    }

    /** {@code a}, naming replica {@code index} to the origin on {@code /hold} requests (a replica JVM has one adapter). */
    static HttpsAdapter tagged(HttpsAdapter a, int index) {
        return new HttpsAdapter() {
            @Override
            public CompletionStage<FetchResult> fetch(OutcallRequest request) {
                if (!request.url().contains("/hold")) {
                    return a.fetch(request);
                }
                List<HttpHeader> headers = new ArrayList<>(request.headers());
                headers.add(new HttpHeader(OriginMain.REPLICA_HEADER, Integer.toString(index)));
                return a.fetch(request.withHeaders(headers));
            }
        };
    }

    /** The first adapter, untagged. */
    HttpsAdapter first() {
        return adapters.get(0);
    }

    List<HttpsAdapter> perReplica() {
        List<HttpsAdapter> out = new ArrayList<>();
        for (int i = 0; i < adapters.size(); i++) {
            out.add(forReplica(i));
        }
        return out;
    }

    @Override
    public void close() {
        adapters.forEach(HttpsAdapters.Closeable::close);
    }
}
