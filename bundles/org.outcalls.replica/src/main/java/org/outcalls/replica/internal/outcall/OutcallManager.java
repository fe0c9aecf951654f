package org.outcalls.replica.internal.outcall;

import org.outcalls.replica.local.PluginSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.ShareView;
import org.outcalls.api.transform.Transform;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.ItemMaker;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.OutcallPayloadSection;
import org.outcalls.consensus.outcall.ShareBinding;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.RequestContext;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's outcall manager (DESIGN.md "The way of one outcall", step 3 and 4): for each new
 * request context whose committee includes this replica, fetches through the adapter, applies the
 * named transform, signs a share of the content, keeps it and gossips it; admits its peers'
 * shares; and gives the block maker the shares it holds. A fetch or transform failure is a reject
 * content, shared like any other.
 *
 * <p>Everything but the fetch pipeline runs on the replica's protocol thread.
 */
public final class OutcallManager implements OutcallPayloadSection.Source {
    private static final Logger LOG = LoggerFactory.getLogger(OutcallManager.class);
    /** Own shares of contexts older than this are sent again (a frame may have been lost). */
    private static final Duration RESEND_AFTER = Duration.ofSeconds(2);
    /** Shares for contexts this replica has not executed yet, kept per peer until it has. */
    private static final int MAX_EARLY_SHARES_PER_PEER = 4096;
    /** How long a decision that went into a proposal is no new work (a proposal that is not finalized makes it work again). */
    private static final Duration PROPOSED_GRACE = Duration.ofSeconds(5);

    private final int self;
    private final Hash subnetId;
    private final String subnetIdHex;
    private final List<PublicKey> members;
    private final Channel channel;
    private final Scheduler scheduler;
    private final HttpsAdapter adapter;
    private final TransformRunner transforms;
    private final PluginSource plugins;
    private final SignerQueue signer;
    /** Fetches started and not yet turned into content to sign: while some run, the signer waits for their shares. */
    private final java.util.concurrent.atomic.AtomicInteger fetchesInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final BatchVerifier verifier;
    private final Runnable workAvailable;
    /** Null for an honest replica; a faulty one signs what its adversary says. */
    private final java.util.function.Supplier<org.outcalls.replica.byzantine.ContentForger> forger;

    private final TreeMap<Long, Open> open = new TreeMap<>();
    private final ShareStore store = new ShareStore();
    private final ContentServing serving;
    private final Set<Long> decidable = new TreeSet<>();
    /** Decidable contexts no block proposal has carried (within {@link #PROPOSED_GRACE}): new work for a block maker. */
    private final Set<Long> unproposed = new TreeSet<>();
    /** When a decidable context last went into a proposal (local nanoTime), for the grace period. */
    private final Map<Long, Long> proposedAt = new HashMap<>();
    /** Contexts whose shares could not be judged because their policy is not installed here (yet). */
    private final Set<Long> waitingForPolicy = new TreeSet<>();
    private final Map<Integer, EarlyShares> early = new HashMap<>();
    private final Map<Long, Long> contentRequested = new HashMap<>();
    private final Set<String> missingPlugins = new TreeSet<>();
    private final OutcallDiagnostics diagnostics = new OutcallDiagnostics();
    private long executedUpTo = -1;
    private Scheduler.Cancellable resendTimer;
    private volatile boolean stopped;

    /** An open context as this replica sees it. */
    private record Open(OutcallContextInfo info, Hash digest, long createdNanos) {
    }

    private record Early(SignedShare share, byte[] content) {
    }

    /** One peer's shares for contexts not open here yet, by callback id, with their count kept (the bound is checked per share). */
    private static final class EarlyShares {
        final TreeMap<Long, List<Early>> byCallback = new TreeMap<>();
        int held;

        List<Early> take(long callbackId) {
            List<Early> taken = byCallback.remove(callbackId);
            held -= taken == null ? 0 : taken.size();
            return taken;
        }

        void dropBefore(long callbackId) {
            SortedMap<Long, List<Early>> older = byCallback.headMap(callbackId);
            for (List<Early> l : older.values()) {
                held -= l.size();
            }
            older.clear();
        }
    }

    public OutcallManager(int self, Hash subnetId, List<PublicKey> members, NodeKey key, Channel channel,
                          Scheduler scheduler, HttpsAdapter adapter, TransformRunner transforms, PluginSource plugins,
                          Executor signingExecutor, BatchVerifier verifier, Runnable workAvailable,
                          java.util.function.Supplier<org.outcalls.replica.byzantine.ContentForger> forger) {
        this.self = self;
        this.subnetId = subnetId;
        this.subnetIdHex = subnetId.hex();
        this.members = List.copyOf(members);
        this.channel = channel;
        this.scheduler = scheduler;
        this.adapter = adapter;
        this.transforms = transforms;
        this.plugins = plugins;
        this.signer = new SignerQueue(key, self, signingExecutor, scheduler,
                signed -> scheduler.execute(() -> ownShares(signed)));
        this.verifier = verifier;
        this.workAvailable = workAvailable;
        this.forger = forger;
        this.serving = new ContentServing(self, this.members.size(), channel);
        channel.receiver(this::onFrame);
    }

    public void start() {
        scheduler.execute(this::scheduleResend);
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
                    opened == null ? -1 : opened.createdNanos(), store.candidates(o.callbackId()));
            close(o.callbackId());
        }
        for (RequestContext rc : result.createdContexts()) {
            track(rc);
        }
    }

    private void track(RequestContext rc) {
        if (open.containsKey(rc.callbackId())) {
            return;
        }
        executedUpTo = Math.max(executedUpTo, rc.callbackId());
        OutcallContextInfo info = ContextInfos.of(subnetId, rc);
        open.put(rc.callbackId(), new Open(info, info.digest(), System.nanoTime()));
        Optional<AgreementPolicy> policy = plugins.policy(rc.policy(), rc.policyVersion());
        if (policy.isEmpty()) {
            missingPolicy(info.policy());
        } else {
            int[] committee = policy.get().committee(new CommitteeInput(members.size(), rc.callbackId(), rc.blockHash()));
            if (Arrays.binarySearch(committee, self) >= 0) {
                fetch(info, committee.length > 1);
            }
        }
        admitEarly(rc.callbackId());
    }

    private void close(long callbackId) {
        open.remove(callbackId);
        store.remove(callbackId);
        decidable.remove(callbackId);
        unproposed.remove(callbackId);
        proposedAt.remove(callbackId);
        waitingForPolicy.remove(callbackId);
        contentRequested.remove(callbackId);
        executedUpTo = Math.max(executedUpTo, callbackId);
    }

    // ---- the fetch pipeline: adapter, transform, content, signature (off the protocol thread)

    private void fetch(OutcallContextInfo info, boolean replicated) {
        OutcallRequest request = info.request();
        if (request.method().needsMethodsPlugin()) {
            Optional<MethodSupport> methods = plugins.methods();
            if (methods.isEmpty()) {
                // The registry allowed the method, so the plugin is enabled; lacking it here is local:
                // neither fetch nor sign (a share would decide on local presence). Replicas that have it decide.
                missingMethods(request.method().name());
                return;
            }
            try {
                request = methods.get().prepare(request, subnetIdHex, info.callbackId(), replicated);
            } catch (RuntimeException e) {
                sign(info, "", OutcallCodec.encode(Reject.of(RejectCode.SYS_FATAL, RejectKind.METHOD_NOT_ALLOWED,
                        "the methods plugin failed on replica " + self + ": " + e)), true, fetchesInFlight.get() > 0);
                return;
            }
        }
        Optional<TransformSpec> spec = info.request().transform();
        // The version the request's context pins, whatever is activated or installed since.
        Optional<Transform> transform = spec.flatMap(s -> plugins.transform(info.transformName(), info.transformVersion()));
        String transformId = transform.isPresent() ? info.transform() : "";
        fetchesInFlight.incrementAndGet();
        adapter.fetch(request)
                .thenCompose(result -> transformed(info, spec, transform, result))
                .whenComplete((content, error) -> {
                    boolean moreComing = fetchesInFlight.decrementAndGet() > 0;
                    if (error != null) {
                        LOG.error("outcall {} pipeline failed on replica {}", info.callbackId(), self, error);
                        content = OutcallCodec.encode(Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.PROTOCOL_ERROR,
                                "replica " + self + " could not complete the fetch: " + error));
                    }
                    sign(info, transformId, content, isReject(content), moreComing);
                });
    }

    private static boolean isReject(byte[] content) {
        try {
            return OutcallCodec.decode(content).isReject();
        } catch (DecodeException e) {
            throw new IllegalStateException("own content does not decode", e);
        }
    }

    private CompletionStage<byte[]> transformed(OutcallContextInfo info, Optional<TransformSpec> spec,
                                                Optional<Transform> transform, FetchResult result) {
        if (result.reject().isPresent()) {
            return CompletableFuture.completedFuture(OutcallCodec.encode(result.reject().get()));
        }
        if (spec.isEmpty()) {
            return CompletableFuture.completedFuture(OutcallCodec.encode(result.response().orElseThrow()));
        }
        if (transform.isEmpty()) {
            // The same bytes on every replica that lacks it, so such replicas can agree on this reject.
            return CompletableFuture.completedFuture(OutcallCodec.encode(Reject.of(RejectCode.CANISTER_ERROR,
                    RejectKind.TRANSFORM_ERROR, "transform '" + info.transform() + "' not found: it is not installed")));
        }
        return transforms.run(info.canisterId(), info.transformName(), transform.get(), result.response().orElseThrow(),
                        spec.get().context(), info.request().effectiveMaxResponseBytes())
                .thenApply(o -> o.reject() != null ? OutcallCodec.encode(o.reject()) : OutcallCodec.encode(o.response()));
    }

    private void sign(OutcallContextInfo info, String transformId, byte[] content, boolean reject, boolean moreComing) {
        org.outcalls.replica.byzantine.ContentForger f = forger == null ? null : forger.get();
        if (f != null) {
            org.outcalls.replica.byzantine.ContentForger.Signed forged =
                    f.forge(info, new org.outcalls.replica.byzantine.ContentForger.Signed(content, reject, transformId));
            if (forged == null) {
                return;
            }
            content = forged.content();
            reject = forged.reject();
            transformId = forged.transform();
        }
        ShareMetadata m = new ShareMetadata(subnetId, info.callbackId(), info.digest(), ContentHash.of(transformId, content),
                content.length, reject, transformId, info.policy(), info.registryVersion());
        signer.submit(new SignerQueue.Pending(m, content), moreComing);
    }

    /** A signed batch of own shares: kept, gossiped as one frame (or a few), then judged. */
    private void ownShares(List<SignerQueue.Signed> batch) {
        if (stopped) {
            return;
        }
        List<OutcallFrames.Carried> out = new ArrayList<>(batch.size());
        for (SignerQueue.Signed signed : batch) {
            if (open.containsKey(signed.share().metadata().callbackId())) {
                store.add(signed.share(), signed.content());
                out.add(OutcallFrames.Carried.of(signed.share(), signed.content()));
            }
        }
        if (out.isEmpty()) {
            return;
        }
        OutcallFrames.shares(out).forEach(channel::broadcast);
        for (OutcallFrames.Carried c : out) {
            checkDecidable(c.share().metadata().callbackId());
        }
    }

    // ---- gossip

    private void onFrame(int from, byte[] bytes) {
        OutcallFrames.Frame f;
        try {
            f = OutcallFrames.decode(bytes);
        } catch (DecodeException e) {
            LOG.debug("replica {} sent a malformed outcalls frame: {}", from, e.getMessage());
            return;
        }
        switch (f.type()) {
            case OutcallFrames.SHARE, OutcallFrames.SHARES -> {
                for (OutcallFrames.Carried c : f.shares()) {
                    onShare(from, c.share(), c.content());
                }
            }
            case OutcallFrames.CONTENT_REQUEST -> serving.answer(from, f.callbackId(), f.contentHash(),
                    store.content(f.callbackId(), f.contentHash()), System.nanoTime());
            case OutcallFrames.CONTENT -> {
                if (store.attachContent(f.callbackId(), f.contentHash(), f.content())) {
                    checkDecidable(f.callbackId());
                }
            }
            default -> LOG.debug("replica {} sent an outcalls frame of unknown type {}", from, f.type());
        }
    }

    private void onShare(int from, SignedShare share, byte[] content) {
        if (share.signer() != from || from >= members.size()) {
            LOG.debug("replica {} sent a share signed as {}; only own shares are accepted", from, share.signer());
            return;
        }
        long cb = share.metadata().callbackId();
        if (!open.containsKey(cb)) {
            if (cb > executedUpTo) {
                keepEarly(from, share, content);
            }
            return;
        }
        admit(share, content);
    }

    private void admit(SignedShare share, byte[] content) {
        long cb = share.metadata().callbackId();
        Open o = open.get(cb);
        ShareMetadata m = share.metadata();
        String mismatch = ShareBinding.mismatch(m, subnetId, o.info(), o.digest());
        if (mismatch != null) {
            LOG.debug("replica {} sent a share for callback {} that does not fit the context here: {}", share.signer(), cb,
                    mismatch);
            return;
        }
        if (content != null && ShareBinding.contentMismatch(m, content) != null) {
            content = null;
        }
        if (!share.verify(members.get(share.signer()), verifier)) {
            LOG.warn("replica {} sent a share with a bad signature for callback {}", share.signer(), cb);
            return;
        }
        if (store.add(share, content)) {
            checkDecidable(cb);
        }
    }

    private void keepEarly(int from, SignedShare share, byte[] content) {
        EarlyShares mine = early.computeIfAbsent(from, k -> new EarlyShares());
        if (mine.held >= MAX_EARLY_SHARES_PER_PEER) {
            return;
        }
        mine.byCallback.computeIfAbsent(share.metadata().callbackId(), k -> new ArrayList<>(1)).add(new Early(share, content));
        mine.held++;
    }

    private void admitEarly(long callbackId) {
        for (EarlyShares mine : early.values()) {
            List<Early> waiting = mine.take(callbackId);
            if (waiting != null) {
                waiting.forEach(e -> admit(e.share(), e.content()));
            }
            mine.dropBefore(callbackId);
        }
    }

    private void checkDecidable(long callbackId) {
        Open o = open.get(callbackId);
        if (o == null || decidable.contains(callbackId)) {
            return;
        }
        Optional<AgreementPolicy> policy = plugins.policy(o.info().policyName(), o.info().policyVersion());
        if (policy.isEmpty()) {
            waitingForPolicy.add(callbackId);
            return;
        }
        waitingForPolicy.remove(callbackId);
        try {
            checkDecidable(callbackId, o, policy.get());
        } catch (RuntimeException e) { // a plugin that throws decides nothing here; the request times out
            LOG.warn("replica {}: policy {} failed on callback {}: {}", self, o.info().policy(), callbackId, e.toString());
        }
    }

    private void checkDecidable(long callbackId, Open o, AgreementPolicy p) {
        int[] committee = p.committee(new CommitteeInput(members.size(), callbackId, o.info().seed().bytes()));
        List<ShareView> views = new ArrayList<>();
        for (ItemMaker.Candidate c : store.candidates(callbackId)) {
            if (Arrays.binarySearch(committee, c.share().signer()) >= 0 && (!p.carriesShareContents() || c.content() != null)) {
                views.add(new ShareView(c.share().signer(), c.share().metadata().contentHash().bytes(),
                        c.share().metadata().contentSize(), c.share().metadata().reject(),
                        p.carriesShareContents() ? viewContent(c.content()) : null));
            }
        }
        int n = members.size();
        Decision d = p.decide(new DecisionInput(n, (n - 1) / 3, committee, views));
        if (!(d instanceof Decision.Pending)) {
            decidable.add(callbackId);
            unproposed.add(callbackId);
            workAvailable.run();
        }
    }

    private static byte[] viewContent(byte[] content) {
        try {
            OutcallCodec.Content c = OutcallCodec.decode(content);
            return c.isReject() ? c.reject().message().getBytes(java.nio.charset.StandardCharsets.UTF_8) : c.response().body();
        } catch (DecodeException e) {
            return new byte[0];
        }
    }

    private void scheduleResend() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        List<OutcallFrames.Carried> again = new ArrayList<>();
        for (Map.Entry<Long, Open> e : open.entrySet()) {
            ShareStore.Entry own = store.own(e.getKey(), self);
            if (own != null && now - e.getValue().createdNanos() > RESEND_AFTER.toNanos()) {
                again.add(OutcallFrames.Carried.of(own.share, own.content));
            }
        }
        if (!again.isEmpty()) {
            OutcallFrames.shares(again).forEach(channel::broadcast);
        }
        resendTimer = scheduler.schedule(RESEND_AFTER, this::scheduleResend);
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
        if (!waitingForPolicy.isEmpty()) {
            for (Long cb : List.copyOf(waitingForPolicy)) {
                checkDecidable(cb); // the policy may be installed by now
            }
        }
        List<OutcallContextInfo> out = new ArrayList<>(decidable.size());
        for (Long cb : decidable) {
            Open o = open.get(cb);
            if (o != null) {
                out.add(o.info());
            }
        }
        return out;
    }

    @Override
    public List<ItemMaker.Candidate> candidates(long callbackId) {
        return store.candidates(callbackId);
    }

    @Override
    public boolean mayHaveDecisions() {
        if (!unproposed.isEmpty()) {
            return true;
        }
        if (!proposedAt.isEmpty()) {
            long now = System.nanoTime();
            for (Map.Entry<Long, Long> e : proposedAt.entrySet()) {
                if (now - e.getValue() > PROPOSED_GRACE.toNanos()) {
                    unproposed.add(e.getKey()); // its proposal was not finalized: work again
                }
            }
        }
        return !unproposed.isEmpty();
    }

    /** Decisions a proposal carries are no new work: without this a maker would propose empty blocks for them. */
    @Override
    public void proposed(List<Long> callbackIds) {
        long now = System.nanoTime();
        for (Long cb : callbackIds) {
            if (decidable.contains(cb)) {
                unproposed.remove(cb);
                proposedAt.put(cb, now);
            }
        }
    }

    @Override
    public void needContent(long callbackId, Hash contentHash, int[] holders) {
        long now = System.nanoTime();
        Long last = contentRequested.get(callbackId);
        if (last != null && now - last < Duration.ofMillis(500).toNanos()) {
            return;
        }
        contentRequested.put(callbackId, now);
        int holder = holders[(int) ((now / 1_000_000) % holders.length)];
        if (holder != self) {
            channel.send(holder, OutcallFrames.contentRequest(callbackId, contentHash));
        }
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
        return store.countsByHash(callbackId);
    }

    public int openCount() {
        return open.size();
    }

    /** Peers' content requests not answered (over their serving budget, or replayed). Any thread. */
    public long contentRequestsRefused() {
        return serving.refused();
    }

    /** How outcalls ended here: counts, latency, recent outcomes and no-consensus differences. Any thread. */
    public OutcallDiagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * Hands {@code then}, on the protocol thread, the shares held per open context (grouped by content
     * hash) and the number of shares held in all.
     */
    public void inFlight(java.util.function.BiConsumer<Map<Long, List<org.outcalls.replica.Diagnostics.ShareGroup>>, Integer> then) {
        scheduler.execute(() -> {
            Map<Long, List<org.outcalls.replica.Diagnostics.ShareGroup>> out = new TreeMap<>();
            int shares = 0;
            for (Long cb : open.keySet()) {
                List<ItemMaker.Candidate> candidates = store.candidates(cb);
                shares += candidates.size();
                List<org.outcalls.replica.Diagnostics.ShareGroup> groups = new ArrayList<>();
                OutcallDiagnostics.groups(candidates, groups, new ArrayList<>());
                out.put(cb, groups);
            }
            then.accept(out, shares);
        });
    }
}
