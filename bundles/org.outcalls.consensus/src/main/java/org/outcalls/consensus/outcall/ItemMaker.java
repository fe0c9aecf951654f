package org.outcalls.consensus.outcall;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.ShareView;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;

/**
 * The block maker's side: from the validated shares it holds for one request context, asks the
 * policy for a decision and, if there is one, builds the item that carries exactly the shares the
 * decision rests on. The item is then checked by the same {@link ItemValidator} every validator
 * runs, so a maker never proposes what its peers would refuse.
 */
public final class ItemMaker {
    private final ItemValidator validator;

    public ItemMaker(ItemValidator validator) {
        this.validator = validator;
    }

    /** A validated share and, if this replica has it, its content. */
    public record Candidate(SignedShare share, byte[] content) {
    }

    /** What the maker can do for one context now. */
    public sealed interface Result permits Pending, NeedsContent, Made {
    }

    /** No decision yet. */
    public record Pending() implements Result {
    }

    /** Decided, but the agreed content is not here yet: fetch it from one of these replicas. */
    public record NeedsContent(Hash contentHash, int[] holders) implements Result {
    }

    public record Made(OutcallItem item, DecidedOutcall decided) implements Result {
    }

    public Result make(OutcallContextInfo context, AgreementPolicy policy, List<Candidate> candidates)
            throws InvalidItemException {
        int[] committee = validator.committee(policy, context);
        boolean carries = policy.carriesShareContents();
        List<Candidate> usable = new ArrayList<>();
        for (Candidate c : candidates) {
            if (Arrays.binarySearch(committee, c.share().signer()) >= 0 && (!carries || c.content() != null)) {
                usable.add(c);
            }
        }
        usable.sort(Comparator.comparingInt(c -> c.share().signer()));
        List<ShareView> views = new ArrayList<>();
        for (Candidate c : usable) {
            views.add(view(c, carries));
        }
        Decision decision = ItemValidator.decide(policy, context,
                new DecisionInput(validator.subnetSize(context), validator.faultTolerance(context), committee, views));
        if (decision instanceof Decision.Pending) {
            return new Pending();
        }
        int[] signers = decision instanceof Decision.Complete c ? c.signers() : ((Decision.Divergent) decision).signers();
        List<Candidate> included = usable.stream().filter(c -> Arrays.binarySearch(signers, c.share().signer()) >= 0).toList();
        List<SignedShare> shares = included.stream().map(Candidate::share).toList();
        List<byte[]> shareContents = carries ? included.stream().map(Candidate::content).toList() : List.of();
        OutcallItem item;
        if (decision instanceof Decision.Complete c && c.contentHash() != null) {
            Hash agreed = Hash.wrap(c.contentHash());
            byte[] content = usable.stream().filter(x -> x.share().metadata().contentHash().equals(agreed) && x.content() != null)
                    .map(Candidate::content).findFirst().orElse(null);
            if (content == null) {
                return new NeedsContent(agreed, included.stream().mapToInt(x -> x.share().signer()).toArray());
            }
            item = item(context, OutcallItem.Outcome.CONTENT, shares, content, shareContents, null, "");
        } else if (decision instanceof Decision.Complete c) {
            item = item(context, OutcallItem.Outcome.VALUE, shares, null, shareContents, c.value(), "");
        } else {
            item = item(context, OutcallItem.Outcome.DIVERGENT, shares, null, shareContents, null,
                    ((Decision.Divergent) decision).message());
        }
        return new Made(item, validator.validate(item, context, policy));
    }

    private static OutcallItem item(OutcallContextInfo ctx, OutcallItem.Outcome outcome, List<SignedShare> shares,
                                    byte[] content, List<byte[]> shareContents, org.outcalls.api.AggregateValue value,
                                    String message) {
        return new OutcallItem(ctx.callbackId(), ctx.digest(), ctx.seed(), ctx.policyName(), ctx.policyVersion(), outcome,
                shares, content, shareContents, value, message);
    }

    private static ShareView view(Candidate c, boolean carries) throws InvalidItemException {
        ShareMetadata m = c.share().metadata();
        byte[] content = null;
        if (carries) {
            try {
                OutcallCodec.Content decoded = OutcallCodec.decode(c.content());
                content = decoded.isReject() ? decoded.reject().message().getBytes(StandardCharsets.UTF_8)
                        : decoded.response().body();
            } catch (DecodeException e) {
                throw new InvalidItemException("content of replica " + c.share().signer() + " is undecodable: " + e.getMessage());
            }
        }
        return new ShareView(c.share().signer(), m.contentHash().bytes(), m.contentSize(), m.reject(), content);
    }
}
