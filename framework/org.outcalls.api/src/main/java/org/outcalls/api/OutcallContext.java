package org.outcalls.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The request context an outcall's result answers, as the subnet recorded it when the canister
 * called {@code http_request}: every replica's signed share commits to the digest of exactly
 * these facts ({@link org.outcalls.api.verify.SignedContext#digest()}), so a result can be shown
 * together with the request it is for, and checked against it.
 *
 * <p>The agreement policy's name is the request's {@link OutcallRequest#policy()}.
 *
 * @param subnetId        the subnet's id, 64 lower-case hex digits
 * @param callbackId      the callback id, unique per subnet
 * @param canisterId      the canister that made the request and receives the result
 * @param request         the request as the canister made it
 * @param attachedCycles  cycles the canister attached
 * @param fee             cycles charged for the request
 * @param requestTime     block time (Unix ms) of the block whose execution made the request
 * @param policyVersion   the version of the request's policy enabled in the registry then
 * @param transformVersion the version of the request's transform enabled in the registry then, which
 *                        every replica applied; empty if the request has no transform
 * @param registryVersion the registry version then
 * @param seed            the hash of that block (64 lower-case hex digits): the committee is chosen from it
 */
public record OutcallContext(String subnetId, long callbackId, String canisterId, OutcallRequest request,
                             long attachedCycles, long fee, long requestTime, String policyVersion,
                             String transformVersion, long registryVersion, String seed) {
    private static final Pattern HASH_HEX = Pattern.compile("[0-9a-f]{64}");

    public OutcallContext {
        requireHash(subnetId, "subnet_id");
        requireHash(seed, "seed");
        Objects.requireNonNull(canisterId, "canister_id");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(policyVersion, "policy_version");
        Objects.requireNonNull(transformVersion, "transform_version");
        if (callbackId < 0 || attachedCycles < 0 || fee < 0 || requestTime < 0 || registryVersion < 0) {
            throw new IllegalArgumentException("outcall context: ids, cycles, times and versions must not be negative");
        }
    }

    /** {@code name@version} of the policy that decided the result. */
    public String policy() {
        return request.policy() + "@" + policyVersion;
    }

    static void requireHash(String hex, String field) {
        if (hex == null || !HASH_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(field + ": must be 64 lower-case hex digits, got " + hex);
        }
    }
}
