package org.outcalls.replica;

import java.util.Objects;
import java.util.Optional;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;

/**
 * An agreed outcome of one request context, as a finalized block carries it to execution: the
 * callback id and exactly one of a response, an aggregate value or a reject, with the certificate
 * bytes that prove it (empty for outcomes decided without shares).
 */
public final class OutcallDelivery {
    private final long callbackId;
    private final HttpResponse response;
    private final AggregateValue value;
    private final Reject reject;
    private final byte[] certificate;

    private OutcallDelivery(long callbackId, HttpResponse response, AggregateValue value, Reject reject,
                            byte[] certificate) {
        if (callbackId < 0) {
            throw new IllegalArgumentException("callback id: must not be negative (was " + callbackId + ")");
        }
        this.callbackId = callbackId;
        this.response = response;
        this.value = value;
        this.reject = reject;
        this.certificate = certificate == null ? new byte[0] : certificate.clone();
    }

    public static OutcallDelivery response(long callbackId, HttpResponse response, byte[] certificate) {
        return new OutcallDelivery(callbackId, Objects.requireNonNull(response, "response"), null, null, certificate);
    }

    public static OutcallDelivery value(long callbackId, AggregateValue value, byte[] certificate) {
        return new OutcallDelivery(callbackId, null, Objects.requireNonNull(value, "value"), null, certificate);
    }

    public static OutcallDelivery reject(long callbackId, Reject reject, byte[] certificate) {
        return new OutcallDelivery(callbackId, null, null, Objects.requireNonNull(reject, "reject"), certificate);
    }

    public long callbackId() {
        return callbackId;
    }

    public Optional<HttpResponse> response() {
        return Optional.ofNullable(response);
    }

    public Optional<AggregateValue> value() {
        return Optional.ofNullable(value);
    }

    public Optional<Reject> reject() {
        return Optional.ofNullable(reject);
    }

    public byte[] certificate() {
        return certificate.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutcallDelivery d && callbackId == d.callbackId && Objects.equals(response, d.response)
                && Objects.equals(value, d.value) && Objects.equals(reject, d.reject)
                && java.util.Arrays.equals(certificate, d.certificate);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(callbackId);
    }

    @Override
    public String toString() {
        Object what = response != null ? response : value != null ? value : reject;
        return "OutcallDelivery[#" + callbackId + " " + what + ", " + certificate.length + " certificate bytes]";
    }
}
