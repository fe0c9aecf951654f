package org.outcalls.replica.internal.diag;

import java.util.concurrent.CompletionStage;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.OutcallRequest;

/** An adapter that records how long each fetch took, success or not. */
public final class TimedAdapter implements HttpsAdapter {
    private final HttpsAdapter delegate;
    private final LatencyHistogram latencies;

    public TimedAdapter(HttpsAdapter delegate, LatencyHistogram latencies) {
        this.delegate = delegate;
        this.latencies = latencies;
    }

    @Override
    public CompletionStage<FetchResult> fetch(OutcallRequest request) {
        long start = System.nanoTime();
        return delegate.fetch(request).whenComplete((r, e) -> latencies.observeNanos(System.nanoTime() - start));
    }
}
