package org.outcalls.consensus.outcall;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.consensus.CannotValidateException;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadContext;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code outcalls} payload section: the block maker includes every request its shares decide
 * (complete or divergent), up to 500 per block and the byte budget; validators re-check every item
 * from its signed shares (and the policy it names) and refuse an item answered again within the
 * ancestry window.
 */
public final class OutcallPayloadSection implements PayloadSection {
    public static final String NAME = "outcalls";
    private static final Logger LOG = LoggerFactory.getLogger(OutcallPayloadSection.class);

    /** The maker's view of this replica: open contexts and the shares it holds. Local, not replicated. */
    public interface Source {
        /** Open request contexts in callback-id order. */
        List<OutcallContextInfo> openContexts();

        /**
         * The open contexts a decision may be possible for, in callback-id order: the block maker
         * looks at these only, so a block costs what it carries, not what is in flight. By default
         * all open contexts.
         */
        default List<OutcallContextInfo> decidableContexts() {
            return openContexts();
        }

        /** Validated shares (with content where known) for one context. */
        List<ItemMaker.Candidate> candidates(long callbackId);

        /** Whether a decision may have become possible since the last block this replica made. */
        boolean mayHaveDecisions();

        /** A decision needs content this replica lacks: fetch it from one of the holders. */
        void needContent(long callbackId, Hash contentHash, int[] holders);

        /** An item needs a policy this replica lacks. */
        void missingPolicy(String policy);

        /**
         * Local bookkeeping for {@link #mayHaveDecisions()}: these callbacks went into a block
         * proposal (built here or validated from a peer), so they are no new work for the next
         * block. Never part of a verdict.
         */
        default void proposed(List<Long> callbackIds) {
        }
    }

    private final ItemValidator validator;
    private final ItemMaker maker;
    private final PolicyLookup policies;
    private final Source source;

    public OutcallPayloadSection(ItemValidator validator, PolicyLookup policies, Source source) {
        this.validator = validator;
        this.maker = new ItemMaker(validator);
        this.policies = policies;
        this.source = source;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean hasWork() {
        return source.mayHaveDecisions();
    }

    @Override
    public byte[] build(PayloadContext context) {
        Set<Long> answered = answeredInAncestors(context);
        List<OutcallItem> items = new ArrayList<>();
        long bytes = 16;
        for (OutcallContextInfo open : source.decidableContexts()) {
            if (items.size() >= OutcallPayload.MAX_ITEMS) {
                break;
            }
            if (answered.contains(open.callbackId())) {
                continue;
            }
            Optional<AgreementPolicy> policy = policies.find(open.policyName(), open.policyVersion());
            if (policy.isEmpty()) {
                source.missingPolicy(open.policy());
                continue;
            }
            try {
                ItemMaker.Result r = maker.make(open, policy.get(), source.candidates(open.callbackId()));
                if (r instanceof ItemMaker.Made made) {
                    long size = made.item().encode().length + 16L;
                    if (bytes + size <= context.maxBytes()) {
                        items.add(made.item());
                        bytes += size;
                    }
                } else if (r instanceof ItemMaker.NeedsContent needs) {
                    source.needContent(open.callbackId(), needs.contentHash(), needs.holders());
                }
            } catch (InvalidItemException | MissingPolicyException e) {
                LOG.warn("not including callback {}: {}", open.callbackId(), e.getMessage());
            }
        }
        if (!items.isEmpty()) {
            source.proposed(items.stream().map(OutcallItem::callbackId).toList());
        }
        return OutcallPayload.encode(items);
    }

    @Override
    public void validate(PayloadContext context, byte[] payload) throws InvalidPayloadException {
        if (payload.length > context.maxBytes()) {
            throw new InvalidPayloadException("outcalls payload is " + payload.length + " bytes; at most "
                    + context.maxBytes() + " are allowed");
        }
        List<OutcallItem> items;
        try {
            items = OutcallPayload.decode(payload);
        } catch (DecodeException e) {
            throw new InvalidPayloadException("outcalls payload is malformed: " + e.getMessage(), e);
        }
        Set<Long> answered = answeredInAncestors(context);
        for (OutcallItem item : items) {
            if (answered.contains(item.callbackId())) {
                throw new InvalidPayloadException("callback " + item.callbackId() + " was already answered in an ancestor block");
            }
            try {
                validator.validate(item, policies);
            } catch (InvalidItemException e) {
                throw new InvalidPayloadException(e.getMessage(), e);
            } catch (MissingPolicyException e) {
                source.missingPolicy(e.policy());
                throw new CannotValidateException("cannot validate callback " + item.callbackId() + ": " + e.getMessage(), e);
            }
        }
        if (!items.isEmpty()) {
            source.proposed(items.stream().map(OutcallItem::callbackId).toList()); // after the verdict
        }
    }

    private static Set<Long> answeredInAncestors(PayloadContext context) {
        Set<Long> ids = new HashSet<>();
        for (byte[] ancestor : context.ancestorPayloads()) {
            try {
                ids.addAll(OutcallPayload.callbackIds(ancestor));
            } catch (DecodeException e) {
                // an ancestor was validated when it was notarized; a failure here is a local bug
                throw new IllegalStateException("ancestor outcalls payload does not decode: " + e.getMessage(), e);
            }
        }
        return ids;
    }

    /**
     * What a finalized block delivers, in block order. Needs no policy: the block was validated by
     * the replicas that notarized it, so execution does not depend on which plugins are installed here.
     */
    public static List<DecidedOutcall> deliveries(byte[] payload) throws DecodeException {
        List<DecidedOutcall> out = new ArrayList<>();
        for (OutcallItem item : OutcallPayload.decode(payload)) {
            byte[] certificate = item.withoutContent().encode();
            switch (item.outcome()) {
                case CONTENT -> {
                    OutcallCodec.Content c = OutcallCodec.decode(item.content());
                    out.add(new DecidedOutcall(item.callbackId(), item.contextDigest(), c.response(), null, c.reject(), certificate));
                }
                case VALUE -> out.add(new DecidedOutcall(item.callbackId(), item.contextDigest(), null, item.value(), null, certificate));
                case DIVERGENT -> out.add(new DecidedOutcall(item.callbackId(), item.contextDigest(), null, null,
                        org.outcalls.api.Reject.of(org.outcalls.api.RejectCode.SYS_TRANSIENT,
                                org.outcalls.api.RejectKind.NO_CONSENSUS, item.message()), certificate));
            }
        }
        return out;
    }
}
