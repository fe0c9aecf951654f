package org.outcalls.consensus.outcall;

import java.util.Objects;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.verify.SignedContext;
import org.outcalls.api.verify.SignedRequest;
import org.outcalls.crypto.Hash;

/**
 * The immutable facts of a request context in replicated state. Every share signs their digest,
 * so a share (and a result) is bound to exactly one request on one subnet.
 *
 * @param transformVersion the version of the request's transform the registry enabled when the
 *                         context was made: every replica applies exactly that one; empty if the
 *                         request has no transform
 * @param seed the hash of the block that created the context: the committee is chosen from it
 */
public record OutcallContextInfo(Hash subnetId, long callbackId, String canisterId, OutcallRequest request,
                                 long attachedCycles, long fee, long requestTime, String policyName,
                                 String policyVersion, String transformVersion, long registryVersion, Hash seed) {
    public OutcallContextInfo {
        Objects.requireNonNull(subnetId, "subnetId");
        Objects.requireNonNull(canisterId, "canisterId");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(transformVersion, "transformVersion");
        Objects.requireNonNull(seed, "seed");
    }

    /** {@code name@version} of the policy, as shares and items name it. */
    public String policy() {
        return policyName + "@" + policyVersion;
    }

    /** The name of the request's transform (without a version the request may insist on), or empty for none. */
    public String transformName() {
        return request.transform().map(t -> {
            int at = t.name().lastIndexOf('@');
            return at < 0 ? t.name() : t.name().substring(0, at);
        }).orElse("");
    }

    /** {@code name@version} of the transform every replica applies, as shares name it; empty for none. */
    public String transform() {
        String name = transformName();
        return name.isEmpty() ? "" : name + "@" + transformVersion;
    }

    /**
     * What every share signs about its request. Defined once, in the API
     * ({@link SignedContext#digest()}, domain {@link OutcallDomains#CONTEXT} version 2), so that a
     * verifier can recompute it from a result document: it covers the request body's SHA-256, not
     * the body (the request's canonical form is otherwise {@link OutcallCodec#writeRequest}'s).
     */
    public Hash digest() {
        return Hash.wrap(signed().digest());
    }

    /** These facts as a result document shows them. */
    public SignedContext signed() {
        return new SignedContext(subnetId.hex(), callbackId, canisterId, SignedRequest.of(request), attachedCycles, fee,
                requestTime, policyName, policyVersion, transformVersion, registryVersion, seed.hex());
    }
}
