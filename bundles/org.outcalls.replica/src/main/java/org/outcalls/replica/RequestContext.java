package org.outcalls.replica;

import java.util.Arrays;
import java.util.Objects;
import org.outcalls.api.OutcallRequest;

/**
 * An open outcall in replicated state, keyed by its callback id: what to fetch, who asked, when
 * (block time), under which policy at which enabled version and registry version, and the cycles
 * attached and charged. The outcall manager fetches for new contexts; a delivery or the timeout
 * closes one exactly once.
 *
 * @param callbackId      unique per subnet, ascending in creation order
 * @param canisterId      the canister that called {@code http_request} and receives the result
 * @param request         the request's arguments
 * @param requestTime     block time of the block that created it (Unix ms)
 * @param height          height of that block
 * @param blockHash       hash of that block: the seed for committee choice
 * @param policy          the agreement policy's name
 * @param policyVersion   the policy's version enabled in the registry at creation
 * @param transformVersion the version of the request's transform enabled in the registry at
 *                        creation, which every replica applies to this request whatever is
 *                        activated later; empty if the request has no transform
 * @param registryVersion the registry version at creation
 * @param attachedCycles  cycles the canister attached
 * @param chargedCycles   the fee charged; {@code attached − charged} is refunded with the result
 * @param messageId       hex id of the ingress message whose execution made the request
 * @param caller          principal of that message's sender
 */
public record RequestContext(long callbackId, String canisterId, OutcallRequest request, long requestTime, long height,
                             byte[] blockHash, String policy, String policyVersion, String transformVersion,
                             long registryVersion,
                             long attachedCycles, long chargedCycles, String messageId, String caller) {
    public RequestContext {
        Objects.requireNonNull(canisterId, "canisterId");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(transformVersion, "transformVersion");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(caller, "caller");
        blockHash = blockHash.clone();
        if (chargedCycles < 0 || chargedCycles > attachedCycles) {
            throw new IllegalArgumentException("cycles: charged " + chargedCycles + " must be within [0, attached "
                    + attachedCycles + "]");
        }
    }

    @Override
    public byte[] blockHash() {
        return blockHash.clone();
    }

    /** Cycles returned to the canister with the result. */
    public long refundCycles() {
        return attachedCycles - chargedCycles;
    }

    /** The latest block time at which the context is still open, given the registry's timeout. */
    public long deadline(long consensusTimeoutMillis) {
        return requestTime + consensusTimeoutMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestContext c && callbackId == c.callbackId && canisterId.equals(c.canisterId)
                && request.equals(c.request) && requestTime == c.requestTime && height == c.height
                && Arrays.equals(blockHash, c.blockHash) && policy.equals(c.policy)
                && policyVersion.equals(c.policyVersion) && transformVersion.equals(c.transformVersion)
                && registryVersion == c.registryVersion
                && attachedCycles == c.attachedCycles && chargedCycles == c.chargedCycles
                && messageId.equals(c.messageId) && caller.equals(c.caller);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(callbackId);
    }

    @Override
    public String toString() {
        return "RequestContext[#" + callbackId + " " + canisterId + " " + request + ", time " + requestTime
                + ", " + policy + "@" + policyVersion + (transformVersion.isEmpty() ? "" : ", transform version "
                + transformVersion) + ", registry v" + registryVersion + ", cycles "
                + attachedCycles + "/" + chargedCycles + "]";
    }
}
