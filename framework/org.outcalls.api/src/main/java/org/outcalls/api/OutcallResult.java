package org.outcalls.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The one result a canister's callback receives for an outcall: exactly one of a response, an
 * aggregate value (for aggregating policies) or a reject; the cycles accounting; and the
 * certificate (the signed shares that carried the result; empty for rejects decided by the
 * management canister or by block time); and the request context it answers, to which the
 * certificate's shares are bound (absent for a request the management canister refused at once).
 */
public final class OutcallResult {
    private final long callbackId;
    private final HttpResponse response;
    private final AggregateValue value;
    private final Reject reject;
    private final Cycles cycles;
    private final byte[] certificate;
    private final OutcallContext context;

    private OutcallResult(long callbackId, HttpResponse response, AggregateValue value, Reject reject,
                          Cycles cycles, byte[] certificate) {
        this(callbackId, response, value, reject, cycles, certificate, null);
    }

    private OutcallResult(long callbackId, HttpResponse response, AggregateValue value, Reject reject,
                          Cycles cycles, byte[] certificate, OutcallContext context) {
        this.callbackId = callbackId;
        this.response = response;
        this.value = value;
        this.reject = reject;
        this.cycles = Objects.requireNonNull(cycles, "cycles");
        this.certificate = certificate == null ? new byte[0] : certificate.clone();
        if (context != null && context.callbackId() != callbackId) {
            throw new IllegalArgumentException("context: callback id " + context.callbackId() + " is not the result's "
                    + callbackId);
        }
        this.context = context;
    }

    public static OutcallResult completed(long callbackId, HttpResponse response, Cycles cycles, byte[] certificate) {
        return new OutcallResult(callbackId, Objects.requireNonNull(response, "response"), null, null, cycles, certificate);
    }

    public static OutcallResult aggregated(long callbackId, AggregateValue value, Cycles cycles, byte[] certificate) {
        return new OutcallResult(callbackId, null, Objects.requireNonNull(value, "value"), null, cycles, certificate);
    }

    public static OutcallResult rejected(long callbackId, Reject reject, Cycles cycles, byte[] certificate) {
        return new OutcallResult(callbackId, null, null, Objects.requireNonNull(reject, "reject"), cycles, certificate);
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

    public boolean isReject() {
        return reject != null;
    }

    public Cycles cycles() {
        return cycles;
    }

    /** Opaque certificate bytes, verifiable offline against the subnet's public keys; may be empty. */
    public byte[] certificate() {
        return certificate.clone();
    }

    /**
     * The request context this result answers: what the certificate's shares signed the digest of.
     * Empty for a request the management canister refused before it opened a context.
     *
     * @since 1.2
     */
    public Optional<OutcallContext> context() {
        return Optional.ofNullable(context);
    }

    /**
     * The same result, for the given request context.
     *
     * @throws IllegalArgumentException if the context has another callback id
     * @since 1.2
     */
    public OutcallResult withContext(OutcallContext newContext) {
        return new OutcallResult(callbackId, response, value, reject, cycles, certificate, newContext);
    }

    @Override
    public String toString() {
        String what = response != null ? response.toString() : value != null ? value.toString() : reject.toString();
        return "OutcallResult[#" + callbackId + " " + what + ", " + cycles + "]";
    }
}
