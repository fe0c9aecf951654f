package org.outcalls.replica.internal.ingress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadContext;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.ExecutableBlock;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;

/**
 * The {@code ingress} block section. {@link #build} takes pooled messages, oldest first, that are
 * valid at the block's time and neither in an ancestor's payload nor executed already, and no more
 * calls to canisters than there is room for request contexts: the {@link AdmissionWindow} (within
 * the registry's bound) less the contexts open at this replica's executed height and the messages
 * of ancestors not executed yet (each may open one). So a subnet offered more than it decides takes new work only as it closes
 * old, and the rest waits in the pool (where the gateway's high-water mark refuses more) instead
 * of being refused in execution. Past that room, calls of callers within their fair share are still
 * taken while the {@link ShareRoom} lasts: one call may open up to 500 contexts, and without it a
 * single caller's fan-out would keep every other caller's calls out of blocks until its contexts
 * are decided or time out. Messages to the management canister open no context and always
 * fit. This bound is the maker's own choice from local state; validators do not check it (execution
 * refuses, deterministically, what goes over the bound).
 * {@link #validate} uses only the payload and the {@link PayloadContext}: decoding, sizes,
 * signatures, the expiry window at the block's time, and no id twice in the block or in its
 * ancestors' payloads. (Execution drops duplicates again against the state, so an id older than
 * the ancestry the context shows is still executed at most once.)
 */
public final class IngressSection implements PayloadSection {
    private final IngressPool pool;
    private final AdmissionWindow window;
    private final Predicate<String> executed;
    private final LongSupplier localMillis;
    /**
     * Ids of ancestor payloads, by array identity (consensus hands the same arrays for the same
     * blocks): a memo of a pure function, so it cannot change a verdict.
     */
    private final Map<byte[], Set<String>> idsByPayload = new WeakHashMap<>();

    /**
     * @param window      the admission window at this replica's executed height, only to bound what
     *                    {@link #build} takes
     * @param localMillis the local clock, only to decide {@link #hasWork()} (never for a verdict)
     */
    public IngressSection(IngressPool pool, AdmissionWindow window, Predicate<String> executed, LongSupplier localMillis) {
        this.pool = pool;
        this.window = window;
        this.executed = executed;
        this.localMillis = localMillis;
    }

    @Override
    public String name() {
        return IngressPayload.SECTION;
    }

    @Override
    public boolean hasWork() {
        if (window.room() > 0) {
            return pool.hasNewWork(localMillis.getAsLong());
        }
        // with no room for contexts, a block would take only calls within their callers' share: were
        // the rest work, a hostile caller's pooled calls would keep makers proposing empty blocks
        ShareRoom share = window.shareRoom();
        return share.room() > 0 && pool.hasNewWork(localMillis.getAsLong(),
                m -> !ManagementCanister.ID.equals(m.canisterId()) && share.withinShare(m.caller(), 0));
    }

    @Override
    public byte[] build(PayloadContext context) {
        long now = ExecutableBlock.millis(context.blockTime());
        List<Set<String>> ancestors;
        try {
            ancestors = ancestorIdSets(context);
        } catch (DecodeException e) {
            return new byte[0];
        }
        Predicate<String> inAncestors = inAny(ancestors);
        int notExecuted = messagesNotExecuted(context.height(), ancestors);
        int room = window.room() - notExecuted;
        ShareRoom share = window.shareRoom();
        int shareRoom = share.room() - notExecuted;
        Map<String, Integer> takenPastRoom = new HashMap<>();
        List<IngressMessage> picked = new ArrayList<>();
        Set<String> pickedIds = new HashSet<>();
        int calls = 0;
        long size = 4;
        for (IngressMessage m : pool.candidates()) {
            if (picked.size() >= IngressPayload.MAX_MESSAGES) {
                break;
            }
            boolean call = !ManagementCanister.ID.equals(m.canisterId());
            String pastRoom = call && calls >= room ? m.caller() : null;
            if (pastRoom != null && (calls >= shareRoom
                    || !share.withinShare(pastRoom, takenPastRoom.getOrDefault(pastRoom, 0)))) {
                continue;
            }
            String id = m.idHex();
            if (m.checkExpiry(now).isPresent() || pickedIds.contains(id)
                    || inAncestors.test(id) || executed.test(id)) {
                continue;
            }
            long add = 4L + m.encodedSize();
            if (size + add > context.maxBytes()) {
                continue;
            }
            picked.add(m);
            pickedIds.add(id);
            size += add;
            calls += call ? 1 : 0;
            if (pastRoom != null) {
                takenPastRoom.merge(pastRoom, 1, Integer::sum);
            }
        }
        pool.markProposed(picked.stream().map(IngressMessage::idHex).toList(), localMillis.getAsLong());
        return IngressPayload.encode(picked);
    }

    /**
     * Messages in the ancestors above this replica's executed height: their contexts are not open
     * here yet but will be. Ancestors come newest first, the first at {@code height − 1}.
     */
    private int messagesNotExecuted(long height, List<Set<String>> ancestors) {
        long notExecuted = height - 1 - window.height();
        int count = 0;
        for (int i = 0; i < ancestors.size() && i < notExecuted; i++) {
            count += ancestors.get(i).size();
        }
        return count;
    }

    @Override
    public void validate(PayloadContext context, byte[] payload) throws InvalidPayloadException {
        if (payload.length == 0) {
            return;
        }
        if (payload.length > context.maxBytes()) {
            throw new InvalidPayloadException("ingress payload: " + payload.length + " bytes; at most "
                    + context.maxBytes() + " are allowed in this block");
        }
        List<IngressMessage> messages;
        Predicate<String> inAncestors;
        try {
            messages = IngressPayload.decode(payload);
            inAncestors = inAny(ancestorIdSets(context));
        } catch (DecodeException e) {
            throw new InvalidPayloadException("ingress payload: " + e.getMessage(), e);
        }
        long now = ExecutableBlock.millis(context.blockTime());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            IngressMessage m = messages.get(i);
            String id = m.idHex();
            Optional<String> expiry = m.checkExpiry(now);
            if (expiry.isPresent()) {
                throw new InvalidPayloadException("ingress message " + i + " (" + id + "): " + expiry.get());
            }
            if (!seen.add(id)) {
                throw new InvalidPayloadException("ingress message " + i + " (" + id + ") appears twice in the block");
            }
            if (inAncestors.test(id)) {
                throw new InvalidPayloadException("ingress message " + i + " (" + id
                        + ") is already in an ancestor block");
            }
            String wrongSubnet = m.wrongSubnet(pool.subnetId());
            if (wrongSubnet != null) {
                throw new InvalidPayloadException("ingress message " + i + " (" + id + "): " + wrongSubnet);
            }
            if (!m.verifySignature()) {
                throw new InvalidPayloadException("ingress message " + i + " (" + id
                        + "): the signature does not verify against the sender's key");
            }
        }
        // local bookkeeping for hasWork() only, after the verdict
        pool.markProposed(seen, localMillis.getAsLong());
    }

    /**
     * The ids of each ancestor's payload, newest first (an empty set for an empty payload), from
     * memoized sets: decoded once per payload.
     */
    private List<Set<String>> ancestorIdSets(PayloadContext context) throws DecodeException {
        List<Set<String>> ids = new ArrayList<>(context.ancestorPayloads().size());
        for (byte[] payload : context.ancestorPayloads()) {
            if (payload.length == 0) {
                ids.add(Set.of());
                continue;
            }
            Set<String> known;
            synchronized (idsByPayload) {
                known = idsByPayload.get(payload);
            }
            if (known == null) {
                known = IngressPayload.ids(payload);
                synchronized (idsByPayload) {
                    idsByPayload.put(payload, known);
                }
            }
            ids.add(known);
        }
        return ids;
    }

    /**
     * Whether an id is in one of the sets. Looks the id up in each ancestor's set rather than
     * building their union: a block checks its own messages, far fewer than the ancestry holds.
     */
    private static Predicate<String> inAny(List<Set<String>> sets) {
        List<Set<String>> nonEmpty = sets.stream().filter(x -> !x.isEmpty()).toList();
        return id -> {
            for (Set<String> known : nonEmpty) {
                if (known.contains(id)) {
                    return true;
                }
            }
            return false;
        };
    }
}
