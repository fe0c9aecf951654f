package org.outcalls.replica;

import java.util.List;

/**
 * What executing one block did.
 *
 * @param height           the block's height
 * @param blockTime        its time
 * @param stateHash        SHA-256 of the state after it: equal on every honest replica
 * @param registryVersion  the registry version after it
 * @param ingress          the status of each ingress message, in block order
 * @param createdContexts  request contexts opened by this block, by callback id: what the outcall manager fetches
 * @param outcomes         results handed to canisters, in the order they were handed
 * @param ignoredDeliveries callback ids of deliveries for unknown or already closed contexts
 */
public record ExecutionResult(long height, long blockTime, byte[] stateHash, long registryVersion,
                              List<IngressStatus> ingress, List<RequestContext> createdContexts,
                              List<OutcallOutcome> outcomes, List<Long> ignoredDeliveries) {
    public ExecutionResult {
        stateHash = stateHash.clone();
        ingress = List.copyOf(ingress);
        createdContexts = List.copyOf(createdContexts);
        outcomes = List.copyOf(outcomes);
        ignoredDeliveries = List.copyOf(ignoredDeliveries);
    }

    @Override
    public byte[] stateHash() {
        return stateHash.clone();
    }

    public String stateHashHex() {
        return java.util.HexFormat.of().formatHex(stateHash);
    }
}
