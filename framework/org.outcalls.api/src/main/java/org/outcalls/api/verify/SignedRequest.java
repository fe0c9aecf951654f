package org.outcalls.api.verify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.TransformSpec;

/**
 * A request as a result document shows it and as the context digest covers it: everything the
 * canister asked for, with the body replaced by its SHA-256 (the body itself need not be shown).
 *
 * @param method           exactly as the request names it ({@code GET}, {@code POST}, …)
 * @param bodySha256       SHA-256 of the request body, 64 lower-case hex digits
 * @param maxResponseBytes the caller's bound, if it set one
 * @param transform        the transform and its context bytes, if the request names one
 * @param policy           the agreement policy's name
 */
public record SignedRequest(String url, String method, List<HttpHeader> headers, String bodySha256,
                            OptionalLong maxResponseBytes, Optional<TransformSpec> transform, String policy) {
    public SignedRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = List.copyOf(headers);
        Hex.requireHash(bodySha256, "body_sha256");
        Objects.requireNonNull(maxResponseBytes, "max_response_bytes");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(policy, "policy");
    }

    /** The request a canister made, as documents show it. */
    public static SignedRequest of(OutcallRequest r) {
        return new SignedRequest(r.url(), r.method().name(), r.headers(), Hex.of(Hex.sha256(r.body())),
                r.maxResponseBytes(), r.transform(), r.policy());
    }

    /**
     * The canonical encoding within the context digest: {@code string url, string method, headers
     * (u32 count, then string name, string value each), 32 bytes SHA-256(body), bool has-max, i64 max
     * (0 if none), bool has-transform, string transform name, bytes transform context (empty if none),
     * string policy}.
     */
    void write(CanonicalOutput w) {
        w.string(url).string(method);
        ContentEncoding.writeHeaders(w, headers);
        w.fixed(Hex.bytes(bodySha256));
        w.bool(maxResponseBytes.isPresent()).i64(maxResponseBytes.orElse(0));
        w.bool(transform.isPresent()).string(transform.map(TransformSpec::name).orElse(""))
                .bytes(transform.map(TransformSpec::context).orElse(new byte[0]));
        w.string(policy);
    }
}
