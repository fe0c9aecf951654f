package org.outcalls.consensus.outcall;

import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.ShareView;

/** Test fixture like {@code single-replica}: the seed's first byte picks the one replica whose share decides. */
final class OnePolicy implements AgreementPolicy {
    @Override
    public int[] committee(CommitteeInput input) {
        return new int[] {Math.floorMod(input.seed()[0], input.subnetSize())};
    }

    @Override
    public boolean carriesShareContents() {
        return false;
    }

    @Override
    public Decision decide(DecisionInput input) {
        if (input.shares().isEmpty()) {
            return new Decision.Pending();
        }
        ShareView s = input.shares().get(0);
        return new Decision.Complete(new int[] {s.signer()}, s.contentHash(), null);
    }
}
