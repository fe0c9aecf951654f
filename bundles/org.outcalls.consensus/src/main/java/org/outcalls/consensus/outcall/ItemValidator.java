package org.outcalls.consensus.outcall;

import java.util.Arrays;
import java.util.List;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.ShareView;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * Checks one payload item against the request context it answers, as replicated state holds it,
 * the subnet's keys and that context's policy, and says what it delivers. What the item claims about
 * its request (digest, seed, policy, transform, registry version) must be what the context says: a
 * block maker chooses none of it. Every honest replica reaches the same verdict.
 */
public final class ItemValidator {
    private final Hash subnetId;
    private final OutcallCommittees committees;
    private final BatchVerifier verifier;

    /** A subnet whose members never change. */
    public ItemValidator(Hash subnetId, List<PublicKey> members, BatchVerifier verifier) {
        this(subnetId, OutcallCommittees.fixed(members), verifier);
    }

    /** A subnet whose members may change: each context is checked against the members of its registry version. */
    public ItemValidator(Hash subnetId, OutcallCommittees committees, BatchVerifier verifier) {
        this.subnetId = subnetId;
        this.committees = committees;
        this.verifier = verifier;
    }

    /** n at the newest registry version (a subnet whose members never change: its n). */
    public int subnetSize() {
        return committees.at(Long.MAX_VALUE).size();
    }

    /** f at the newest registry version. */
    public int faultTolerance() {
        return (subnetSize() - 1) / 3;
    }

    /** n for the request {@code context}: the members of its registry version. */
    public int subnetSize(OutcallContextInfo context) {
        return committees.at(context.registryVersion()).size();
    }

    /** f for the request {@code context}. */
    public int faultTolerance(OutcallContextInfo context) {
        return (subnetSize(context) - 1) / 3;
    }

    /**
     * @param context the request context the item answers, from replicated state (never from the item)
     * @param policy  that context's agreement policy at the version the context names
     */
    public DecidedOutcall validate(OutcallItem item, OutcallContextInfo context, AgreementPolicy policy)
            throws InvalidItemException {
        checkBinding(item, context);
        int[] committee = committee(policy, context);
        List<ShareView> views = checkShares(item, context, policy, committee);
        Decision decision = decide(policy, context, new DecisionInput(subnetSize(context), faultTolerance(context), committee, views));
        int[] included = item.shares().stream().mapToInt(SignedShare::signer).toArray();
        byte[] certificate = item.withoutContent().encode();
        switch (item.outcome()) {
            case CONTENT -> {
                if (!(decision instanceof Decision.Complete c) || c.contentHash() == null) {
                    throw invalid(item, "claims an agreed content, but the policy decides " + describe(decision));
                }
                requireSigners(item, c.signers(), included);
                Hash agreed = Hash.wrap(c.contentHash());
                SignedShare carrier = item.shares().stream()
                        .filter(s -> s.metadata().contentHash().equals(agreed)).findFirst()
                        .orElseThrow(() -> invalid(item, "no included share has the agreed hash"));
                if (!ContentHash.of(carrier.metadata().transform(), item.content()).equals(agreed)
                        || item.content().length != carrier.metadata().contentSize()) {
                    throw invalid(item, "its content does not have the agreed hash " + agreed.shortHex());
                }
                OutcallCodec.Content content = decode(item, item.content());
                return new DecidedOutcall(item.callbackId(), item.contextDigest(), content.response(), null,
                        content.reject(), certificate);
            }
            case VALUE -> {
                if (!(decision instanceof Decision.Complete c) || c.value() == null || !c.value().equals(item.value())) {
                    throw invalid(item, "claims value " + item.value() + ", but the policy decides " + describe(decision));
                }
                requireSigners(item, c.signers(), included);
                return new DecidedOutcall(item.callbackId(), item.contextDigest(), null, item.value(), null, certificate);
            }
            case DIVERGENT -> {
                if (!(decision instanceof Decision.Divergent d) || !d.message().equals(item.message())) {
                    throw invalid(item, "claims divergence, but the policy decides " + describe(decision));
                }
                requireSigners(item, d.signers(), included);
                Reject reject = Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.NO_CONSENSUS, item.message());
                return new DecidedOutcall(item.callbackId(), item.contextDigest(), null, null, reject, certificate);
            }
            default -> throw invalid(item, "has an unknown outcome");
        }
    }

    /** The item names exactly the context it answers: the context's digest, seed and policy. */
    private static void checkBinding(OutcallItem item, OutcallContextInfo context) throws InvalidItemException {
        if (item.callbackId() != context.callbackId() || !item.contextDigest().equals(context.digest())) {
            throw invalid(item, "does not carry the digest of request context " + context.callbackId()
                    + " in replicated state");
        }
        if (!item.policy().equals(context.policy())) {
            throw invalid(item, "claims policy " + item.policy() + ", but its request context has " + context.policy());
        }
        if (!item.seed().equals(context.seed())) {
            throw invalid(item, "claims committee seed " + item.seed().shortHex() + ", but its request context has "
                    + context.seed().shortHex());
        }
    }

    /**
     * The policy's decision; a policy that throws decides nothing for this request (an item for it
     * is invalid everywhere, as the policy is the same code on every replica).
     */
    static Decision decide(AgreementPolicy policy, OutcallContextInfo context, DecisionInput input)
            throws InvalidItemException {
        try {
            Decision d = policy.decide(input);
            if (d == null) {
                throw new InvalidItemException("policy " + context.policy() + " returned no decision for callback "
                        + context.callbackId());
            }
            return d;
        } catch (RuntimeException e) {
            throw new InvalidItemException("policy " + context.policy() + " failed deciding callback " + context.callbackId()
                    + ": " + e);
        }
    }

    int[] committee(AgreementPolicy policy, OutcallContextInfo context) throws InvalidItemException {
        int[] committee;
        try {
            committee = policy.committee(new CommitteeInput(subnetSize(context), context.callbackId(), context.seed().bytes()));
        } catch (RuntimeException e) {
            throw new InvalidItemException("policy " + context.policy() + " failed choosing the committee of callback "
                    + context.callbackId() + ": " + e);
        }
        if (committee == null || committee.length == 0) {
            throw new InvalidItemException("policy " + context.policy() + " chose no committee for callback "
                    + context.callbackId());
        }
        for (int i = 0; i < committee.length; i++) {
            if (committee[i] < 0 || committee[i] >= subnetSize(context) || i > 0 && committee[i] <= committee[i - 1]) {
                throw new InvalidItemException("policy " + context.policy() + " returned an invalid committee "
                        + Arrays.toString(committee) + " for callback " + context.callbackId());
            }
        }
        return committee;
    }

    private List<ShareView> checkShares(OutcallItem item, OutcallContextInfo context, AgreementPolicy policy,
                                        int[] committee)
            throws InvalidItemException {
        List<SignedShare> shares = item.shares();
        if (shares.isEmpty()) {
            throw invalid(item, "has no shares");
        }
        boolean carries = policy.carriesShareContents();
        if (carries ? item.shareContents().size() != shares.size() : !item.shareContents().isEmpty()) {
            throw invalid(item, "carries " + item.shareContents().size() + " share contents for " + shares.size()
                    + " shares; policy " + item.policy() + (carries ? " needs one per share" : " needs none"));
        }
        List<PublicKey> members = committees.at(context.registryVersion());
        ShareView[] views = new ShareView[shares.size()];
        for (int i = 0; i < shares.size(); i++) {
            SignedShare s = shares.get(i);
            ShareMetadata m = s.metadata();
            if (i > 0 && s.signer() <= shares.get(i - 1).signer()) {
                throw invalid(item, "has shares out of signer order or two from replica " + s.signer());
            }
            if (Arrays.binarySearch(committee, s.signer()) < 0) {
                throw invalid(item, "has a share from replica " + s.signer() + ", which is not in the committee "
                        + Arrays.toString(committee));
            }
            String mismatch = ShareBinding.mismatch(m, subnetId, context, item.contextDigest());
            if (mismatch != null) {
                throw invalid(item, "has a share from replica " + s.signer() + " that does not fit its request: " + mismatch);
            }
            if (!s.verify(members.get(s.signer()), verifier)) { // the committee lies within these members
                throw invalid(item, "has a share with a bad signature from replica " + s.signer());
            }
            byte[] viewContent = null;
            if (carries) {
                byte[] content = item.shareContents().get(i);
                String bad = ShareBinding.contentMismatch(m, content);
                if (bad != null) {
                    throw invalid(item, "carries content for replica " + s.signer() + " that does not fit its share: " + bad);
                }
                OutcallCodec.Content c = decode(item, content);
                viewContent = c.isReject() ? c.reject().message().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : c.response().body();
            }
            views[i] = new ShareView(s.signer(), m.contentHash().bytes(), m.contentSize(), m.reject(), viewContent);
        }
        return List.of(views);
    }

    private static OutcallCodec.Content decode(OutcallItem item, byte[] content) throws InvalidItemException {
        try {
            return OutcallCodec.decode(content);
        } catch (DecodeException e) {
            throw invalid(item, "carries undecodable content: " + e.getMessage());
        }
    }

    private static void requireSigners(OutcallItem item, int[] decided, int[] included) throws InvalidItemException {
        if (!Arrays.equals(decided, included)) {
            throw invalid(item, "includes shares of replicas " + Arrays.toString(included)
                    + " but the decision rests on " + Arrays.toString(decided));
        }
    }

    static String describe(Decision d) {
        if (d instanceof Decision.Complete c) {
            return c.value() != null ? "value " + c.value() : "content " + Hash.wrap(c.contentHash()).shortHex();
        }
        return d instanceof Decision.Divergent ? "divergence" : "pending";
    }

    private static InvalidItemException invalid(OutcallItem item, String why) {
        return new InvalidItemException("outcall item for callback " + item.callbackId() + " " + why);
    }
}
