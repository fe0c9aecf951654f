package org.outcalls.api.policy;

/**
 * What a committee may be chosen from.
 *
 * @param subnetSize n, the number of replicas
 * @param callbackId the request's callback id
 * @param seed       bytes fixed by the block that created the request context (its hash), the
 *                   same on every replica
 */
public record CommitteeInput(int subnetSize, long callbackId, byte[] seed) {
    public CommitteeInput {
        if (subnetSize < 1) {
            throw new IllegalArgumentException("subnetSize: must be at least 1");
        }
        seed = seed == null ? new byte[0] : seed.clone();
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }
}
