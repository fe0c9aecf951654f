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
 * against the request context replicated state holds for it (at the payload's state height) and its
 * signed shares under that context's policy, and refuse an item answered again within the ancestry
 * window.
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
    private final ReplicatedContexts contexts;
    private final int window;

    /**
     * @param contexts the replicated request contexts items are checked against
     * @param window   how many ancestors' payloads validation sees (the consensus ancestry depth): an
     *                 item's state height is at most that far below its block, so every answer given
     *                 since that height is among them
     */
    public OutcallPayloadSection(ItemValidator validator, PolicyLookup policies, Source source,
                                 ReplicatedContexts contexts, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window: must be at least 1 (was " + window + ")");
        }
        this.validator = validator;
        this.maker = new ItemMaker(validator);
        this.policies = policies;
        this.source = source;
        this.contexts = contexts;
        this.window = window;
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
        long lowest = lowestStateHeight(context.height());
        long executed = contexts.executedHeight();
        if (executed < lowest || executed >= context.height()) {
            return new byte[0]; // too far behind (or a clock of heights gone wrong): leave outcalls to other makers
        }
        Set<Long> answered = answeredInAncestors(context);
        List<OutcallItem> items = new ArrayList<>();
        long stateHeight = lowest;
        long bytes = 24;
        for (OutcallContextInfo decidable : source.decidableContexts()) {
            if (items.size() >= OutcallPayload.MAX_ITEMS) {
                break;
            }
            if (answered.contains(decidable.callbackId())) {
                continue;
            }
            Optional<OutcallContextInfo> open = contexts.openAt(decidable.callbackId(), executed);
            if (open.isEmpty()) {
                continue;
            }
            OutcallContextInfo info = open.get();
            Optional<AgreementPolicy> policy = policies.find(info.policyName(), info.policyVersion());
            if (policy.isEmpty()) {
                source.missingPolicy(info.policy());
                continue;
            }
            try {
                ItemMaker.Result r = maker.make(info, policy.get(), source.candidates(info.callbackId()));
                if (r instanceof ItemMaker.Made made) {
                    long size = made.item().encode().length + 16L;
                    if (bytes + size <= context.maxBytes()) {
                        items.add(made.item());
                        bytes += size;
                        stateHeight = Math.max(stateHeight, contexts.createdHeight(info.callbackId()));
                    }
                } else if (r instanceof ItemMaker.NeedsContent needs) {
                    source.needContent(info.callbackId(), needs.contentHash(), needs.holders());
                }
            } catch (InvalidItemException e) {
                LOG.warn("not including callback {}: {}", info.callbackId(), e.getMessage());
            }
        }
        if (!items.isEmpty()) {
            source.proposed(items.stream().map(OutcallItem::callbackId).toList());
        }
        // The lowest height at which every item's context is open: validators that lag a little have executed it.
        return OutcallPayload.encode(stateHeight, items);
    }

    @Override
    public void validate(PayloadContext context, byte[] payload) throws InvalidPayloadException {
        if (payload.length > context.maxBytes()) {
            throw new InvalidPayloadException("outcalls payload is " + payload.length + " bytes; at most "
                    + context.maxBytes() + " are allowed");
        }
        OutcallPayload.Decoded decoded;
        try {
            decoded = OutcallPayload.decode(payload);
        } catch (DecodeException e) {
            throw new InvalidPayloadException("outcalls payload is malformed: " + e.getMessage(), e);
        }
        if (decoded.items().isEmpty()) {
            return;
        }
        long stateHeight = checkStateHeight(context.height(), decoded.stateHeight());
        Set<Long> answered = answeredInAncestors(context);
        for (OutcallItem item : decoded.items()) {
            if (answered.contains(item.callbackId())) {
                throw new InvalidPayloadException("callback " + item.callbackId() + " was already answered in an ancestor block");
            }
            OutcallContextInfo info = contexts.openAt(item.callbackId(), stateHeight)
                    .orElseThrow(() -> new InvalidPayloadException("callback " + item.callbackId()
                            + " is not an open request context at state height " + stateHeight));
            AgreementPolicy policy = policies.find(info.policyName(), info.policyVersion()).orElse(null);
            if (policy == null) {
                source.missingPolicy(info.policy());
                throw new CannotValidateException("cannot validate callback " + item.callbackId() + ": agreement policy "
                        + info.policy() + " is not installed on this replica");
            }
            try {
                validator.validate(item, info, policy);
            } catch (InvalidItemException e) {
                throw new InvalidPayloadException(e.getMessage(), e);
            }
        }
        source.proposed(decoded.items().stream().map(OutcallItem::callbackId).toList()); // after the verdict
    }

    /**
     * The claimed state height must lie within the ancestry window below the block (so the answers
     * given since are all visible) and be executed here; only the latter depends on this replica,
     * and only for when, not what, it decides.
     */
    private long checkStateHeight(long height, long stateHeight) throws InvalidPayloadException {
        long lowest = lowestStateHeight(height);
        if (stateHeight >= height || stateHeight < lowest) {
            throw new InvalidPayloadException("outcalls payload claims state height " + stateHeight + " for a block at height "
                    + height + "; it must be within " + lowest + ".." + (height - 1));
        }
        if (stateHeight > contexts.executedHeight()) {
            throw new CannotValidateException("outcalls payload answers contexts of height " + stateHeight
                    + ", which this replica has not executed yet (it has executed " + contexts.executedHeight() + ")", true);
        }
        if (stateHeight < contexts.oldestHeight()) {
            throw new CannotValidateException("outcalls payload answers contexts of height " + stateHeight
                    + ", older than this replica still knows (" + contexts.oldestHeight() + ")");
        }
        return stateHeight;
    }

    private long lowestStateHeight(long height) {
        return Math.max(0, height - 1 - window);
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
        for (OutcallItem item : OutcallPayload.decode(payload).items()) {
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
