package org.outcalls.replica.internal.outcall;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.consensus.outcall.ItemMaker;
import org.outcalls.consensus.outcall.OutcallCommittees;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.OutcallPayloadSection;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.byzantine.ContentForger;
import org.outcalls.replica.local.PluginSource;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's outcall manager (DESIGN.md "The way of one outcall", steps 3 to 5): it follows the
 * request contexts execution opens and closes, and wires the way of a share — {@link FetchPipeline}
 * (fetch, transform, sign) → {@link ShareGossip} (to and from peers) → {@link ShareAdmission} →
 * {@link SharePool} (the artifact pool) → {@link Decisions} → the block maker, for which it is the
 * {@link OutcallPayloadSection.Source}. Protocol thread, but for the fetch pipeline and the status
 * methods that say otherwise.
 */
public final class OutcallManager implements OutcallPayloadSection.Source {
    private static final Logger LOG = LoggerFactory.getLogger(OutcallManager.class);

    private final int self;
    private final Hash subnetId;
    private final OutcallCommittees committees;
    private final PublicKey own;
    private final Scheduler scheduler;
    private final PluginSource plugins;
    private final TreeMap<Long, Open> open = new TreeMap<>();
    private final SharePool pool;
    private final ShareAdmission admission;
    private final ShareGossip gossip;
    private final Decisions decisions;
    private final FetchPipeline fetches;
    private final Set<String> missingPlugins = new TreeSet<>();
    private final OutcallDiagnostics diagnostics = new OutcallDiagnostics();
    private long executedUpTo = -1;
    private Scheduler.Cancellable resendTimer;
    private volatile boolean stopped;

    /** An open request as this replica sees it. */
    private record Open(ShareAdmission.OpenRequest request, long createdNanos) {
        OutcallContextInfo info() {
            return request.info();
        }
    }

    /** @param forger null for an honest replica; a faulty one signs what its adversary says */
    public OutcallManager(int self, Hash subnetId, List<PublicKey> members, NodeKey key, Channel channel,
                          Scheduler scheduler, HttpsAdapter adapter, TransformRunner transforms, PluginSource plugins,
                          Executor signingExecutor, BatchVerifier verifier, Runnable workAvailable,
                          Supplier<ContentForger> forger) {
        this(self, subnetId, OutcallCommittees.fixed(members), key, channel, scheduler, adapter, transforms, plugins,
                signingExecutor, verifier, workAvailable, forger);
    }

    /**
     * A replica of a subnet whose members may change: a request is fetched, signed and judged by
     * the members of the registry version it was opened at, and this replica takes part in it only
     * if it was one of them then, with the same key and index.
     */
    public OutcallManager(int self, Hash subnetId, OutcallCommittees committees, NodeKey key, Channel channel,
                          Scheduler scheduler, HttpsAdapter adapter, TransformRunner transforms, PluginSource plugins,
                          Executor signingExecutor, BatchVerifier verifier, Runnable workAvailable,
                          Supplier<ContentForger> forger) {
        this.self = self;
        this.subnetId = subnetId;
        this.committees = committees;
        this.own = key.publicKey();
        this.scheduler = scheduler;
        this.plugins = plugins;
        this.pool = new SharePool();
        this.decisions = new Decisions(self, committees, plugins, pool::candidates, workAvailable);
        this.admission = new ShareAdmission(subnetId, committees, verifier, pool, this::openRequest,
                r -> decisions.check(r.info()));
        this.gossip = new ShareGossip(self, SharePool.PEER_CAPACITY, channel, pool, admission, this::checkDecidable);
        SignerQueue signer = new SignerQueue(key, self, signingExecutor, scheduler,
                signed -> scheduler.execute(() -> ownShares(signed)));
        this.fetches = new FetchPipeline(self, subnetId.hex(), adapter, transforms, plugins, signer, forger,
                this::missingMethods);
    }

    public void start() {
        scheduler.execute(this::resendOwnShares);
    }

    public void stop() {
        stopped = true;
        if (resendTimer != null) {
            resendTimer.cancel();
        }
    }

    /** Contexts open after a restart or catch-up: fetch again where still needed. Protocol thread. */
    public void resume(Iterable<RequestContext> openContexts) {
        for (RequestContext rc : openContexts) {
            track(rc);
        }
    }

    /** After each executed block, on the protocol thread: start fetches, forget closed contexts. */
    public void onExecuted(ExecutionResult result) {
        for (OutcallOutcome o : result.outcomes()) {
            Open opened = open.get(o.callbackId());
            diagnostics.ended(o, result.height(), opened == null ? null : opened.info(),
                    opened == null ? -1 : opened.createdNanos(), pool.candidates(o.callbackId()));
            close(o.callbackId());
        }
        for (RequestContext rc : result.createdContexts()) {
            track(rc);
        }
        pool.forgetBelow(open.isEmpty() ? executedUpTo + 1 : Math.min(open.firstKey(), executedUpTo + 1));
    }

    private void track(RequestContext rc) {
        if (open.containsKey(rc.callbackId())) {
            return;
        }
        executedUpTo = Math.max(executedUpTo, rc.callbackId());
        OutcallContextInfo info = ContextInfos.of(subnetId, rc);
        Open o = new Open(ShareAdmission.OpenRequest.of(info), System.nanoTime());
        open.put(rc.callbackId(), o);
        Optional<AgreementPolicy> policy = plugins.policy(rc.policy(), rc.policyVersion());
        if (policy.isEmpty()) {
            missingPolicy(info.policy());
        } else {
            List<PublicKey> members = committees.at(info.registryVersion());
            boolean member = self < members.size() && members.get(self).equals(own);
            int[] committee = policy.get().committee(new CommitteeInput(members.size(), rc.callbackId(), rc.blockHash()));
            if (member && Arrays.binarySearch(committee, self) >= 0) {
                fetches.fetch(o.request(), rc.caller(), committee.length > 1);
            }
        }
        admission.opened(o.request());
    }

    private void close(long callbackId) {
        open.remove(callbackId);
        pool.close(callbackId);
        decisions.close(callbackId);
        gossip.close(callbackId);
        executedUpTo = Math.max(executedUpTo, callbackId);
    }

    private ShareAdmission.OpenRequest openRequest(long callbackId) {
        Open o = open.get(callbackId);
        return o == null ? null : o.request();
    }

    private void checkDecidable(long callbackId) {
        Open o = open.get(callbackId);
        if (o != null) {
            decisions.check(o.info());
        }
    }

    /** A signed batch of own shares: kept, gossiped as one frame (or a few), then judged. */
    private void ownShares(List<SignerQueue.Signed> batch) {
        if (stopped) {
            return;
        }
        List<OutcallFrames.Carried> out = new ArrayList<>(batch.size());
        for (SignerQueue.Signed signed : batch) {
            if (open.containsKey(signed.share().metadata().callbackId())) {
                pool.add(signed.share(), signed.content());
                out.add(OutcallFrames.Carried.of(signed.share(), signed.content()));
            }
        }
        gossip.broadcast(out);
        for (OutcallFrames.Carried c : out) {
            checkDecidable(c.share().metadata().callbackId());
        }
    }

    private void resendOwnShares() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, Open> e : open.entrySet()) {
            if (now - e.getValue().createdNanos() > ShareGossip.RESEND_AFTER.toNanos()) {
                due.add(e.getKey());
            }
        }
        gossip.resend(due);
        resendTimer = scheduler.schedule(ShareGossip.RESEND_AFTER, this::resendOwnShares);
    }

    // ---- the block maker's source

    @Override
    public List<OutcallContextInfo> openContexts() {
        List<OutcallContextInfo> out = new ArrayList<>(open.size());
        for (Open o : open.values()) {
            out.add(o.info());
        }
        return out;
    }

    /** The contexts the shares held here decide (or whose policy was missing when their shares came). */
    @Override
    public List<OutcallContextInfo> decidableContexts() {
        for (Long cb : decisions.waitingForPolicy()) {
            checkDecidable(cb); // the policy may be installed by now
        }
        List<OutcallContextInfo> out = new ArrayList<>();
        for (Long cb : decisions.decidable()) {
            Open o = open.get(cb);
            if (o != null) {
                out.add(o.info());
            }
        }
        return out;
    }

    @Override
    public List<ItemMaker.Candidate> candidates(long callbackId) {
        return pool.candidates(callbackId);
    }

    @Override
    public boolean mayHaveDecisions() {
        return decisions.mayHaveDecisions(System.nanoTime());
    }

    @Override
    public void proposed(List<Long> callbackIds) {
        decisions.proposed(callbackIds, System.nanoTime());
    }

    @Override
    public void needContent(long callbackId, Hash contentHash, int[] holders) {
        gossip.needContent(callbackId, contentHash, holders, System.nanoTime());
    }

    @Override
    public void missingPolicy(String policy) {
        if (missingPlugins.add(policy)) {
            LOG.error("replica {}: agreement policy {} is enabled in the registry but not installed here; this replica "
                    + "does not fetch or validate outcalls that need it until it is installed", self, policy);
        }
    }

    private void missingMethods(String method) {
        if (missingPlugins.add(MethodSupport.NAME)) {
            LOG.error("replica {}: a {} outcall needs the {} plugin, which the registry enables but which is not installed "
                    + "here; this replica does not send such requests until it is installed (the others do)", self, method,
                    MethodSupport.NAME);
        }
    }

    // ---- status

    /** Plugins the registry needs that this replica has reported missing. */
    public Set<String> missingPlugins() {
        return Set.copyOf(missingPlugins);
    }

    /** Per content hash, the shares held for an open context (for status and the dashboard). */
    public Map<Hash, Integer> shareCounts(long callbackId) {
        return pool.countsByHash(callbackId);
    }

    public int openCount() {
        return open.size();
    }

    /** Peers' content requests not answered (over their serving budget, or replayed). Any thread. */
    public long contentRequestsRefused() {
        return gossip.contentRequestsRefused();
    }

    /** How outcalls ended here: counts, latency, recent outcomes and no-consensus differences. Any thread. */
    public OutcallDiagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * Hands {@code then}, on the protocol thread, the shares held per open context (grouped by content
     * hash) and the number of shares held in all.
     */
    public void inFlight(java.util.function.BiConsumer<Map<Long, List<Diagnostics.ShareGroup>>, Integer> then) {
        scheduler.execute(() -> {
            Map<Long, List<Diagnostics.ShareGroup>> out = new TreeMap<>();
            int shares = 0;
            for (Long cb : open.keySet()) {
                List<ItemMaker.Candidate> candidates = pool.candidates(cb);
                shares += candidates.size();
                List<Diagnostics.ShareGroup> groups = new ArrayList<>();
                OutcallDiagnostics.groups(candidates, groups, new ArrayList<>());
                out.put(cb, groups);
            }
            then.accept(out, shares);
        });
    }
}
