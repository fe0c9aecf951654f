package org.outcalls.replica.internal.outcall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.ShareView;
import org.outcalls.consensus.outcall.ItemMaker;
import org.outcalls.consensus.outcall.OutcallCommittees;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.local.PluginSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which open requests the shares held here may decide (the step "decide" of the way of a share):
 * after each new share, asks the request's policy whether it is complete or divergent, and keeps
 * the decidable ones as the block maker's work until a proposal carries them. The maker itself
 * re-decides from the same shares ({@link ItemMaker}); this only tells it where to look, so a block
 * costs what it carries rather than what is in flight. Protocol thread only.
 */
final class Decisions {
    private static final Logger LOG = LoggerFactory.getLogger(Decisions.class);
    /** How long a decision that went into a proposal is no new work (a proposal that is not finalized makes it work again). */
    static final Duration PROPOSED_GRACE = Duration.ofSeconds(5);

    private final int self;
    private final OutcallCommittees committees;
    private final PluginSource plugins;
    private final LongFunction<List<ItemMaker.Candidate>> candidates;
    private final Runnable workAvailable;
    private final Set<Long> decidable = new TreeSet<>();
    /** Decidable requests no block proposal has carried (within {@link #PROPOSED_GRACE}): new work for a block maker. */
    private final Set<Long> unproposed = new TreeSet<>();
    /** When a decidable request last went into a proposal (local nanoTime), for the grace period. */
    private final Map<Long, Long> proposedAt = new HashMap<>();
    /** Requests whose shares could not be judged because their policy is not installed here (yet). */
    private final Set<Long> waitingForPolicy = new TreeSet<>();

    Decisions(int self, int members, PluginSource plugins, LongFunction<List<ItemMaker.Candidate>> candidates,
              Runnable workAvailable) {
        this(self, v -> java.util.Collections.nCopies(members, null), plugins, candidates, workAvailable);
    }

    /** @param committees the members that answer a request (only their number is used here) */
    Decisions(int self, OutcallCommittees committees, PluginSource plugins,
              LongFunction<List<ItemMaker.Candidate>> candidates, Runnable workAvailable) {
        this.self = self;
        this.committees = committees;
        this.plugins = plugins;
        this.candidates = candidates;
        this.workAvailable = workAvailable;
    }

    /**
     * After a new share for an open request: is it decidable now?
     *
     * @return false if its policy is not installed here (the request waits for it)
     */
    boolean check(OutcallContextInfo info) {
        long cb = info.callbackId();
        if (decidable.contains(cb)) {
            return true;
        }
        Optional<AgreementPolicy> policy = plugins.policy(info.policyName(), info.policyVersion());
        if (policy.isEmpty()) {
            waitingForPolicy.add(cb);
            return false;
        }
        waitingForPolicy.remove(cb);
        try {
            if (!(decide(info, policy.get()) instanceof Decision.Pending)) {
                decidable.add(cb);
                unproposed.add(cb);
                workAvailable.run();
            }
        } catch (RuntimeException e) { // a plugin that throws decides nothing here; the request times out
            LOG.warn("replica {}: policy {} failed on callback {}: {}", self, info.policy(), cb, e.toString());
        }
        return true;
    }

    private Decision decide(OutcallContextInfo info, AgreementPolicy p) {
        int members = committees.at(info.registryVersion()).size();
        int[] committee = p.committee(new CommitteeInput(members, info.callbackId(), info.seed().bytes()));
        List<ShareView> views = new ArrayList<>();
        for (ItemMaker.Candidate c : candidates.apply(info.callbackId())) {
            if (Arrays.binarySearch(committee, c.share().signer()) >= 0 && (!p.carriesShareContents() || c.content() != null)) {
                views.add(new ShareView(c.share().signer(), c.share().metadata().contentHash().bytes(),
                        c.share().metadata().contentSize(), c.share().metadata().reject(),
                        p.carriesShareContents() ? viewContent(c.content()) : null));
            }
        }
        return p.decide(new DecisionInput(members, (members - 1) / 3, committee, views));
    }

    private static byte[] viewContent(byte[] content) {
        try {
            OutcallCodec.Content c = OutcallCodec.decode(content);
            return c.isReject() ? c.reject().message().getBytes(java.nio.charset.StandardCharsets.UTF_8) : c.response().body();
        } catch (DecodeException e) {
            return new byte[0];
        }
    }

    /** Requests that were waiting for their policy, to check again (it may be installed by now). */
    List<Long> waitingForPolicy() {
        return List.copyOf(waitingForPolicy);
    }

    /** The decidable requests, in callback-id order. */
    List<Long> decidable() {
        return List.copyOf(decidable);
    }

    /** Whether a decision may have become possible since the last block this replica made. */
    boolean mayHaveDecisions(long nowNanos) {
        if (!unproposed.isEmpty()) {
            return true;
        }
        for (Map.Entry<Long, Long> e : proposedAt.entrySet()) {
            if (nowNanos - e.getValue() > PROPOSED_GRACE.toNanos()) {
                unproposed.add(e.getKey()); // its proposal was not finalized: work again
            }
        }
        return !unproposed.isEmpty();
    }

    /** Decisions a proposal carries are no new work: without this a maker would propose empty blocks for them. */
    void proposed(List<Long> callbackIds, long nowNanos) {
        for (Long cb : callbackIds) {
            if (decidable.contains(cb)) {
                unproposed.remove(cb);
                proposedAt.put(cb, nowNanos);
            }
        }
    }

    /** The request closed. */
    void close(long callbackId) {
        decidable.remove(callbackId);
        unproposed.remove(callbackId);
        proposedAt.remove(callbackId);
        waitingForPolicy.remove(callbackId);
    }
}
