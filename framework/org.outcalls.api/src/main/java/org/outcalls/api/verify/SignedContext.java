package org.outcalls.api.verify;

import java.util.Objects;
import org.outcalls.api.OutcallContext;

/**
 * The request context a result answers, as its document shows it: every share of the result's
 * certificate signed {@link #digest()} of exactly these facts, so any change to one of them —
 * the URL, a header, the body's hash, the transform's context, the policy, the cycles — makes a
 * digest the shares did not sign.
 *
 * @param subnetId        the subnet's id (hex)
 * @param canisterId      the canister that made the request
 * @param requestTime     block time (Unix ms) of the block that made the request
 * @param policyName      the policy's name (a document shows it once, as the request's {@code policy})
 * @param seed            the hash of the block that made the request (hex)
 */
public record SignedContext(String subnetId, long callbackId, String canisterId, SignedRequest request,
                            long attachedCycles, long fee, long requestTime, String policyName, String policyVersion,
                            String transformVersion, long registryVersion, String seed) {
    public SignedContext {
        Hex.requireHash(subnetId, "subnet_id");
        Objects.requireNonNull(canisterId, "canister_id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(policyName, "policy");
        Objects.requireNonNull(policyVersion, "policy_version");
        Objects.requireNonNull(transformVersion, "transform_version");
        Hex.requireHash(seed, "seed");
    }

    /** The context a canister's result carries, as documents show it. */
    public static SignedContext of(OutcallContext c) {
        return new SignedContext(c.subnetId(), c.callbackId(), c.canisterId(), SignedRequest.of(c.request()),
                c.attachedCycles(), c.fee(), c.requestTime(), c.request().policy(), c.policyVersion(),
                c.transformVersion(), c.registryVersion(), c.seed());
    }

    /** {@code name@version} of the policy. */
    public String policy() {
        return policyName + "@" + policyVersion;
    }

    /**
     * The context digest every share signs: SHA-256 over {@link Domains#context()} and {@code 32
     * bytes subnet id, i64 callback id, string canister id, the request ({@link SignedRequest}),
     * i64 attached cycles, i64 fee, i64 request time, string policy name, string policy version,
     * string transform version, i64 registry version, 32 bytes seed}.
     */
    public byte[] digest() {
        CanonicalOutput w = new CanonicalOutput();
        w.fixed(Hex.bytes(subnetId)).i64(callbackId).string(canisterId);
        request.write(w);
        w.i64(attachedCycles).i64(fee).i64(requestTime).string(policyName).string(policyVersion).string(transformVersion)
                .i64(registryVersion).fixed(Hex.bytes(seed));
        return Hex.sha256(Domains.context(), w.toByteArray());
    }

    /** {@code name@version} of the transform every replica applied, as shares name it; empty for none. */
    public String transform() {
        return request.transform().map(t -> {
            int at = t.name().lastIndexOf('@');
            return (at < 0 ? t.name() : t.name().substring(0, at)) + "@" + transformVersion;
        }).orElse("");
    }

    /** {@link #digest()} as lower-case hex. */
    public String digestHex() {
        return Hex.of(digest());
    }
}
