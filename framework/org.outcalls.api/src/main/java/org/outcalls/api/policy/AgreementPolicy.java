package org.outcalls.api.policy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides an outcall from the shares replicas signed. The block maker calls {@link #decide} over
 * the validated shares it has; every validator calls it again over exactly the shares included in
 * the block, so the decision must be a pure function of its input: no clock, no random, no local
 * state, no iteration order of hash-based collections.
 *
 * <p>A request names its policy; the subnet registry, inside replicated state, says which
 * policies and versions are enabled, so every replica uses the same one for a request. Register it
 * as a Declarative Services component named by {@link PolicyName}:
 * {@code @Component(service = AgreementPolicy.class) @PolicyName("two-thirds")}. The host takes its
 * name from that service property and its version from the bundle that registered it
 * ({@code major.minor.micro} of {@code Bundle-Version}).
 */
@ConsumerType
public interface AgreementPolicy {

    /** The service property holding the policy's name, as {@link PolicyName} writes it. */
    String NAME_PROPERTY = "outcalls.policy.name";

    /**
     * The replicas that fetch, as ascending indices in {@code [0, subnetSize)}. Must depend only
     * on the input.
     */
    int[] committee(CommitteeInput input);

    /**
     * Whether the block must carry the content of every included share (for policies that compute
     * their result from the values, such as a median), rather than one copy of the agreed content.
     */
    boolean carriesShareContents();

    /**
     * Decides from the shares seen so far. {@link Decision.Complete} names the shares that carry
     * the result; {@link Decision.Divergent} names the shares that prove no result can reach the
     * policy's threshold any more.
     */
    Decision decide(DecisionInput input);
}
