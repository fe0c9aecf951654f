package org.outcalls.quorum.median.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.osgi.service.component.annotations.Component;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Policies;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.ContentGroup;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.PolicyName;
import org.outcalls.api.policy.ShareView;

/**
 * {@code median}: every replica contributes one signed decimal (its transformed body); with at
 * least n − f of them the result is their lower median, with count, min and max. With at most f
 * faulty values among them, the median lies within the range of the honest ones.
 *
 * <ul>
 *   <li>Complete with ≥ n − f values: all the values present are included, and the result is
 *       the element ⌊(k−1)/2⌋ of the k included values sorted ascending.</li>
 *   <li>Complete as a reject when n − f rejects agree (same hash, size): exactly n − f of them,
 *       lowest signers first.</li>
 *   <li>Divergent when neither can be reached any more, whatever the missing replicas send.</li>
 *   <li>Pending otherwise. Bodies that are not decimals never complete anything, and neither do
 *       decimals outside the {@linkplain org.outcalls.api.Decimals decimal range}, which no honest
 *       replica signs: a faulty replica's {@code 1e999999999} is not a value, so a result still
 *       needs n − f values within the range and lies within the honest ones.</li>
 * </ul>
 */
@Component(service = AgreementPolicy.class)
@PolicyName(MedianPolicy.NAME)
public final class MedianPolicy implements AgreementPolicy {
    public static final String NAME = Policies.MEDIAN;

    /** All replicas, ascending. */
    @Override
    public int[] committee(CommitteeInput input) {
        return IntStream.range(0, input.subnetSize()).toArray();
    }

    /** The values are computed from the contents, so the block must carry every included one. */
    @Override
    public boolean carriesShareContents() {
        return true;
    }

    private record Value(int signer, BigDecimal value) {
    }

    @Override
    public Decision decide(DecisionInput input) {
        int[] committee = input.committee();
        int threshold = input.threshold();
        List<Value> values = new ArrayList<>();
        List<ShareView> others = new ArrayList<>(); // responses whose body is not a decimal
        List<ShareView> outOfRange = new ArrayList<>(); // decimals outside the range: only faulty replicas sign these
        List<ShareView> rejects = new ArrayList<>();
        int heard = 0;
        List<ShareView> all = new ArrayList<>();
        for (ShareView s : input.shares()) {
            if (Arrays.binarySearch(committee, s.signer()) < 0) {
                continue; // a share from outside the committee counts for nothing
            }
            heard++;
            all.add(s);
            if (s.reject()) {
                rejects.add(s);
                continue;
            }
            ShareValues.Read read = ShareValues.read(s.content());
            switch (read.kind()) {
                case VALUE -> values.add(new Value(s.signer(), read.value()));
                case OUT_OF_RANGE -> outOfRange.add(s);
                case NOT_DECIMAL -> others.add(s);
            }
        }
        if (values.size() >= threshold) {
            return median(values);
        }
        List<ContentGroup> rejectGroups = ContentGroup.group(rejects);
        int largestReject = rejectGroups.isEmpty() ? 0 : rejectGroups.get(0).size(); // of equal sizes, the lowest content
        if (largestReject >= threshold) {
            ContentGroup agreed = rejectGroups.get(0);
            return new Decision.Complete(agreed.signers(threshold), agreed.contentHash(), null);
        }
        int missing = committee.length - heard;
        if (values.size() + missing < threshold && largestReject + missing < threshold) {
            int[] signers = all.stream().mapToInt(ShareView::signer).toArray();
            return new Decision.Divergent(signers, message(heard, values.size(), others, outOfRange, rejectGroups, threshold));
        }
        return new Decision.Pending();
    }

    /** Lower median of all the values; ties in value are ordered by signer, so the pick is determinate. */
    private static Decision median(List<Value> values) {
        List<Value> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparing(Value::value).thenComparingInt(Value::signer));
        int k = sorted.size();
        AggregateValue result = new AggregateValue(sorted.get((k - 1) / 2).value(), k,
                sorted.get(0).value(), sorted.get(k - 1).value());
        int[] signers = values.stream().mapToInt(Value::signer).sorted().toArray();
        return new Decision.Complete(signers, null, result);
    }

    /**
     * For example "no consensus: 4 responses: 1 decimal value, 2 bodies that are not a decimal
     * number (for example "{\"price\":1}"), 1 reject; 3 decimal values or 3 identical rejects are
     * needed. Use the number transform to turn each response into one decimal."
     */
    private static String message(int heard, int values, List<ShareView> others, List<ShareView> outOfRange,
                                  List<ContentGroup> rejects, int threshold) {
        int rejectCount = rejects.stream().mapToInt(ContentGroup::size).sum();
        StringBuilder b = new StringBuilder("no consensus: ")
                .append(heard).append(heard == 1 ? " response: " : " responses: ")
                .append(values).append(values == 1 ? " decimal value, " : " decimal values, ")
                .append(others.size()).append(others.size() == 1 ? " body that is" : " bodies that are")
                .append(" not a decimal number");
        others.stream().filter(s -> s.content() != null).findFirst()
                .ifPresent(s -> b.append(" (for example ").append(ShareValues.example(s.content())).append(')'));
        if (!outOfRange.isEmpty()) {
            b.append(", ").append(outOfRange.size()).append(outOfRange.size() == 1 ? " decimal" : " decimals")
                    .append(" outside the decimal range (for example ")
                    .append(ShareValues.example(outOfRange.get(0).content())).append(')');
        }
        b.append(", ").append(rejectCount).append(rejectCount == 1 ? " reject" : " rejects");
        if (rejectCount > 0) {
            b.append(" in ").append(rejects.size()).append(rejects.size() == 1 ? " group" : " groups");
            // the example is the lowest content's, whatever the group sizes
            byte[] text = Collections.min(rejects, ContentGroup.BY_CONTENT).first().content();
            if (text != null) {
                b.append(" (for example ").append(ShareValues.example(text)).append(')');
            }
        }
        b.append("; ").append(threshold).append(threshold == 1 ? " decimal value or " : " decimal values or ")
                .append(threshold).append(threshold == 1 ? " reject is" : " identical rejects are").append(" needed.");
        if (!others.isEmpty()) {
            b.append(" Use the number transform to turn each response into one decimal.");
        }
        return b.toString();
    }
}
