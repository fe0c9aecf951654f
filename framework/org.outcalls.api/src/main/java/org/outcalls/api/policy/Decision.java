package org.outcalls.api.policy;

import java.util.Arrays;
import java.util.Objects;
import org.outcalls.api.AggregateValue;

/** What a policy concluded from the shares it was given. */
public sealed interface Decision permits Decision.Pending, Decision.Complete, Decision.Divergent {

    /** Not yet decidable: wait for more shares (or for the consensus timeout). */
    record Pending() implements Decision {
    }

    /**
     * A result. For content policies, {@code contentHash} names the agreed content (a response or
     * a reject) and {@code value} is null; for aggregating policies, {@code value} is the result and
     * {@code contentHash} is null.
     *
     * @param signers the shares that carry the result, ascending
     */
    record Complete(int[] signers, byte[] contentHash, AggregateValue value) implements Decision {
        public Complete {
            if (signers == null || signers.length == 0) {
                throw new IllegalArgumentException("signers: a result needs at least one share");
            }
            if ((contentHash == null) == (value == null)) {
                throw new IllegalArgumentException("exactly one of contentHash and value must be set");
            }
            signers = signers.clone();
            contentHash = contentHash == null ? null : contentHash.clone();
        }

        @Override
        public int[] signers() {
            return signers.clone();
        }

        @Override
        public byte[] contentHash() {
            return contentHash == null ? null : contentHash.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Complete c && Arrays.equals(signers, c.signers)
                    && Arrays.equals(contentHash, c.contentHash) && Objects.equals(value, c.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(signers);
        }
    }

    /**
     * Proof that no result can reach the threshold any more.
     *
     * @param signers the shares that prove it, ascending
     * @param message per-hash counts, for the caller's SYS_TRANSIENT no_consensus reject
     */
    record Divergent(int[] signers, String message) implements Decision {
        public Divergent {
            if (signers == null || signers.length == 0) {
                throw new IllegalArgumentException("signers: a divergence proof needs shares");
            }
            Objects.requireNonNull(message, "message");
            signers = signers.clone();
        }

        @Override
        public int[] signers() {
            return signers.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Divergent d && Arrays.equals(signers, d.signers) && message.equals(d.message);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(signers);
        }
    }
}
