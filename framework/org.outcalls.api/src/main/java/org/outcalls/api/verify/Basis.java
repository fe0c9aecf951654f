package org.outcalls.api.verify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a genuine result rests on: which policy decided it and how many replicas' signed shares
 * carry it. A consumer that needs more than the result's own policy demanded checks
 * {@link #shortOf(String, int)}.
 *
 * @param policy     {@code name@version} of the deciding policy, as the shares signed it
 * @param supporting the replicas whose signed shares carry the result: those that signed this
 *                   response or reject, the signed values of a median, or all signers of a
 *                   no-consensus proof
 * @param signers    their indexes
 * @param replicas   the subnet's size n
 * @param needed     how many the policy needs
 * @param statement  one sentence saying all this, for people
 */
public record Basis(Kind kind, String policy, int supporting, List<Integer> signers, int replicas, int needed,
                    String statement) {
    /** How the result was decided. */
    public enum Kind {
        /** At least {@code needed} replicas signed the same response or reject. */
        AGREED,
        /** One replica's word: the single-replica policy, which that replica alone could have made up. */
        SINGLE_REPLICA,
        /** The median of signed values. */
        MEDIAN,
        /** Proof that no response could reach the threshold. */
        NO_CONSENSUS
    }

    public Basis {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policy, "policy");
        signers = List.copyOf(signers);
        Objects.requireNonNull(statement, "statement");
    }

    /** The policy's name, without its version. */
    public String policyName() {
        int at = policy.lastIndexOf('@');
        return at < 0 ? policy : policy.substring(0, at);
    }

    /**
     * Why this basis is less than a consumer demands, or empty if it suffices.
     *
     * @param requiredPolicy the policy name the result must have been decided by, or null for any
     * @param minSigners     how many replicas' signed shares must carry it (0 for any)
     */
    public Optional<String> shortOf(String requiredPolicy, int minSigners) {
        if (requiredPolicy != null && !requiredPolicy.equals(policyName())) {
            return Optional.of("it was decided by policy " + policy + ", not the required " + requiredPolicy);
        }
        if (supporting < minSigners) {
            return Optional.of("it rests on " + supporting + (supporting == 1 ? " replica" : " replicas")
                    + ", fewer than the required " + minSigners);
        }
        return Optional.empty();
    }
}
