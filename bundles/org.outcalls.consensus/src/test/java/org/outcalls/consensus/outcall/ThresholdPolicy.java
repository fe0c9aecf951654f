package org.outcalls.consensus.outcall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.ShareView;
import org.outcalls.crypto.Hash;

/** Test fixture: n−f identical hashes complete; more than f outside the largest group diverge. */
final class ThresholdPolicy implements AgreementPolicy {
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
        Map<Hash, List<Integer>> groups = new TreeMap<>();
        for (ShareView s : input.shares()) {
            groups.computeIfAbsent(Hash.wrap(s.contentHash()), h -> new ArrayList<>()).add(s.signer());
        }
        List<Integer> largest = groups.values().stream().max((a, b) -> a.size() - b.size()).orElse(List.of());
        if (largest.size() >= input.threshold()) {
            Hash h = groups.entrySet().stream().filter(e -> e.getValue() == largest).findFirst().orElseThrow().getKey();
            return new Decision.Complete(largest.subList(0, input.threshold()).stream().mapToInt(i -> i).toArray(), h.bytes(), null);
        }
        if (input.shares().size() - largest.size() > input.faultTolerance()) {
            return new Decision.Divergent(input.shares().stream().mapToInt(ShareView::signer).toArray(),
                    "no consensus: " + groups.size() + " groups");
        }
        return new Decision.Pending();
    }
}
