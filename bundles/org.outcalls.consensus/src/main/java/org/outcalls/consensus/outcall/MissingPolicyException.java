package org.outcalls.consensus.outcall;

/**
 * This replica lacks the policy (at the exact version) an item needs: it cannot judge the item and
 * must not vote on it — never decide differently.
 */
public final class MissingPolicyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String policy;

    public MissingPolicyException(String policy) {
        super("agreement policy " + policy + " is enabled in the registry but not installed on this replica");
        this.policy = policy;
    }

    public String policy() {
        return policy;
    }
}
