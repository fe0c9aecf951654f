package org.outcalls.api.policy;

import java.util.Arrays;
import java.util.List;

/**
 * The shares a policy decides from: at most one per signer, all from committee members, sorted by
 * signer index.
 *
 * @param subnetSize     n
 * @param faultTolerance f = ⌊(n−1)/3⌋
 * @param committee      the replicas that fetch, ascending
 * @param shares         validated shares, one per signer, ascending by signer
 */
public record DecisionInput(int subnetSize, int faultTolerance, int[] committee, List<ShareView> shares) {
    public DecisionInput {
        if (subnetSize < 1 || faultTolerance < 0 || 3 * faultTolerance >= subnetSize && subnetSize > 1) {
            throw new IllegalArgumentException("subnetSize " + subnetSize + " and faultTolerance "
                    + faultTolerance + " are inconsistent");
        }
        committee = committee.clone();
        shares = List.copyOf(shares);
        for (int i = 1; i < shares.size(); i++) {
            if (shares.get(i - 1).signer() >= shares.get(i).signer()) {
                throw new IllegalArgumentException("shares: must be sorted by signer, one per signer");
            }
        }
    }

    /** n − f: the number of identical shares the default policy needs. */
    public int threshold() {
        return subnetSize - faultTolerance;
    }

    @Override
    public int[] committee() {
        return committee.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionInput d && subnetSize == d.subnetSize && faultTolerance == d.faultTolerance
                && Arrays.equals(committee, d.committee) && shares.equals(d.shares);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(committee) + shares.hashCode();
    }
}
