package org.outcalls.pool;

/**
 * Bounds of an {@link ArtifactPool}.
 *
 * @param unvalidatedPerPeer      most unvalidated artifacts held from one peer
 * @param unvalidatedBytesPerPeer most bytes of unvalidated artifacts held from one peer
 * @param heightWindow            artifacts are admitted for heights {@code [floor, floor + heightWindow)}
 * @param maxValidated            most validated artifacts (a backstop: owners bound them by protocol rules)
 * @param rememberRejected        how many ids of rejected artifacts to remember (a resent one is dropped unseen)
 */
public record PoolLimits(int unvalidatedPerPeer, long unvalidatedBytesPerPeer, long heightWindow, int maxValidated,
        int rememberRejected) {
    public PoolLimits {
        if (unvalidatedPerPeer < 1 || unvalidatedBytesPerPeer < 1 || heightWindow < 1 || maxValidated < 1
                || rememberRejected < 0) {
            throw new IllegalArgumentException("pool limits: counts, bytes and window must be positive");
        }
    }
}
