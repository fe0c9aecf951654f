package org.outcalls.quorum.twothirds.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.Policies;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.ContentGroup;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.PolicyName;
import org.outcalls.api.policy.ShareView;

/**
 * {@code two-thirds}: every replica fetches; a result needs n − f shares with the same content.
 *
 * <ul>
 *   <li>Complete when one content (hash, size, response or reject) has n − f shares: exactly n − f
 *       of them, the lowest signer indices, carry it.</li>
 *   <li>Divergent when the shares outside the largest group exceed f: then no content can reach
 *       n − f any more, whatever the missing replicas send. All shares are the proof.</li>
 *   <li>Pending otherwise.</li>
 * </ul>
 * The decision is monotone: the n − f shares of a Complete decide Complete again on their own, and
 * the shares of a Divergent decide Divergent again, so validators reach what the block maker did.
 */
@Component(service = AgreementPolicy.class)
@PolicyName(TwoThirdsPolicy.NAME)
public final class TwoThirdsPolicy implements AgreementPolicy {
    public static final String NAME = Policies.TWO_THIRDS;

    /** Groups named in a divergence message; the rest are counted. */
    private static final int GROUPS_LISTED = 8;

    /** All replicas, ascending. */
    @Override
    public int[] committee(CommitteeInput input) {
        return IntStream.range(0, input.subnetSize()).toArray();
    }

    @Override
    public boolean carriesShareContents() {
        return false;
    }

    @Override
    public Decision decide(DecisionInput input) {
        int[] committee = input.committee();
        List<ShareView> shares = new ArrayList<>();
        for (ShareView s : input.shares()) {
            if (Arrays.binarySearch(committee, s.signer()) >= 0) {
                shares.add(s); // a share from outside the committee proves nothing
            }
        }
        List<ContentGroup> groups = ContentGroup.group(shares);
        if (groups.isEmpty()) {
            return new Decision.Pending();
        }
        ContentGroup largest = groups.get(0); // of equal sizes, the lowest content
        int threshold = input.threshold();
        if (largest.size() >= threshold) {
            return new Decision.Complete(largest.signers(threshold), largest.contentHash(), null);
        }
        if (shares.size() - largest.size() > input.faultTolerance()) {
            int[] signers = shares.stream().mapToInt(ShareView::signer).toArray();
            return new Decision.Divergent(signers, message(shares.size(), groups, threshold));
        }
        return new Decision.Pending();
    }

    /**
     * For example "no consensus: 4 responses in 4 groups (1× 1a2b3c4d, 1× 5e6f7a8b, 1× 9c0d1e2f,
     * 1× 3a4b5c6d reject); 3 identical responses are needed".
     */
    private static String message(int count, List<ContentGroup> groups, int threshold) {
        StringBuilder b = new StringBuilder("no consensus: ")
                .append(count).append(count == 1 ? " response in " : " responses in ")
                .append(groups.size()).append(groups.size() == 1 ? " group (" : " groups (");
        for (int i = 0; i < groups.size() && i < GROUPS_LISTED; i++) {
            ShareView first = groups.get(i).first();
            b.append(i == 0 ? "" : ", ").append(groups.get(i).size()).append("× ").append(first.shortHash())
                    .append(first.reject() ? " reject" : "");
        }
        if (groups.size() > GROUPS_LISTED) {
            b.append(", and ").append(groups.size() - GROUPS_LISTED).append(" more");
        }
        return b.append("); ").append(threshold).append(threshold == 1 ? " identical response is" : " identical responses are")
                .append(" needed").toString();
    }
}
