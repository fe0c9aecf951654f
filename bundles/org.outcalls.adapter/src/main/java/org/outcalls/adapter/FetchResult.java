package org.outcalls.adapter;

import java.util.Objects;
import java.util.Optional;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;

/** The outcome of one fetch: exactly one of a response (within limits) or a reject. */
public final class FetchResult {
    private final HttpResponse response;
    private final Reject reject;

    private FetchResult(HttpResponse response, Reject reject) {
        this.response = response;
        this.reject = reject;
    }

    public static FetchResult of(HttpResponse response) {
        return new FetchResult(Objects.requireNonNull(response, "response"), null);
    }

    public static FetchResult of(Reject reject) {
        return new FetchResult(null, Objects.requireNonNull(reject, "reject"));
    }

    public boolean isResponse() {
        return response != null;
    }

    public Optional<HttpResponse> response() {
        return Optional.ofNullable(response);
    }

    public Optional<Reject> reject() {
        return Optional.ofNullable(reject);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FetchResult r && Objects.equals(response, r.response) && Objects.equals(reject, r.reject);
    }

    @Override
    public int hashCode() {
        return Objects.hash(response, reject);
    }

    @Override
    public String toString() {
        return response != null ? "FetchResult[" + response + "]" : "FetchResult[" + reject + "]";
    }
}
