package org.outcalls.consensus.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.CannotValidateException;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.ConsensusListener;
import org.outcalls.consensus.ConsensusMetrics;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.FinalityProof;
import org.outcalls.consensus.FinalizedBlock;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Msg;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Request;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.consensus.internal.Wire.Status;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.pool.ArtifactPool;
import org.outcalls.pool.ArtifactPool.Unvalidated;
import org.outcalls.pool.PoolLimits;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.Scheduler;
import org.outcalls.transport.ServingBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's Internet Computer Consensus state machine. Everything runs on the replica's
 * protocol thread: frames from the channel, timers, and {@link #workAvailable()} (which hops onto
 * it). After every event {@link #step()} validates what arrived, advances the notarized and
 * finalized heights, delivers finalized blocks, and then acts (finalization shares, a
 * notarization share, a proposal) as the rules of the README allow; the next time-triggered
 * action is one scheduled wake-up. Nothing polls.
 */
public final class ConsensusEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusEngine.class);

    /**
     * Heights above the finalized one for which artifacts are admitted, and how far notarization
     * may run ahead of finalization. Generous, because a replica that reached the limit only
     * moves on when a height below it is finalized; memory stays bounded by the pool's per-peer
     * quotas and the per-height caps, not by this window.
     */
    static final int WINDOW = 256;
    /** Heights sent per catch-up response at most. */
    static final int CATCH_UP_MAX_HEIGHTS = 64;
    /** Heights sent per catch-up response (more if needed to reach a finalization). */
    static final int CATCH_UP_HEIGHTS = 16;
    /** Bytes sent per catch-up response at most (roughly). */
    static final long CATCH_UP_BYTES = 8L * 1024 * 1024;
    /** A frame the serving budget refused: counts as more than a catch-up may carry, so the reply ends there. */
    private static final long REFUSED = Long.MAX_VALUE / 4;
    /** Invalid artifacts a peer may send per retransmission period before it is ignored for one. */
    static final int INVALID_PER_PERIOD = 256;
    /** Largest exponent of the 1.5× rank-delay back-off when finalization lags notarization. */
    static final int MAX_BACKOFF_EXPONENT = 6;
    /** How many finalized block hashes {@link #finalizedHash} remembers. */
    static final int REMEMBER_HASHES = 100_000;

    private final ConsensusConfig config;
    private final int n;
    private final int self;
    private final int threshold;
    private final byte[] subnetId;
    private final List<PublicKey> members;
    private final NodeKey key;
    private final FaultMode fault;
    private final Channel channel;
    private final Channel out;
    private final TreeMap<String, PayloadSection> sections = new TreeMap<>();
    private final ConsensusListener listener;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Ranking ranking;
    private final ArtifactPool<Signed> pool;
    private final TreeMap<Long, HeightState> heights = new TreeMap<>();
    private final ChainStore chain;
    private final Map<Hash, Long> deferred = new HashMap<>();
    /** Blocks already reported as not validatable here (a missing plugin); cleared as finalization moves on. */
    private final Set<Hash> cannotValidateLogged = new HashSet<>();
    private final ConcurrentHashMap<Long, Hash> finalizedHashes = new ConcurrentHashMap<>();
    private final long rankDelay;
    private final long heartbeat;
    private final long tolerance;
    private final long period;
    private final long[] peerFinalized;
    private final long[] peerNotarized;
    private final long[] lastCatchUpTo;
    private final long[] lastStatusTo;
    /** What peers may have us send them in answer to status and requests ({@link ServingLimits}). */
    private final ServingBudget serving;
    private final int[] invalidCount;
    private final long[] quarantineUntil;
    private final Forger forger;
    /** Null when nothing is persisted (one JVM, tests). */
    private final ConsensusStore store;

    private final AtomicLongArray counters = new AtomicLongArray(7);
    private static final int PROPOSED = 0;
    private static final int EQUIVOCATIONS = 1;
    private static final int INVALID = 2;
    private static final int UNDECODABLE = 3;
    private static final int RETRANSMISSIONS = 4;
    private static final int CATCH_UPS = 5;
    private static final int REQUESTS = 6;

    private long epoch;
    private long notarizedHeight;
    private volatile long finalizedHeightView;
    private volatile long notarizedHeightView;
    private long nextRetransmit;
    private long periodStart;
    private Scheduler.Cancellable wakeup;
    private long wakeupAt = Long.MAX_VALUE;
    private long nextDue = Long.MAX_VALUE;
    private volatile boolean stopped;
    private boolean started;
    private boolean halted;
    private long lastForgedRound;
    /**
     * A block made early because a section had work came out empty (its work is already in
     * the chain, or not includable yet): until a section reports new work, wait for the
     * heartbeat rather than making empty blocks back to back.
     */
    private boolean workUsedUp;
    /** A workAvailable() step is queued on the protocol thread and has not started yet. */
    private final java.util.concurrent.atomic.AtomicBoolean workSignalled = new java.util.concurrent.atomic.AtomicBoolean();

    public ConsensusEngine(ConsensusConfig config, Channel channel, List<PayloadSection> sections,
            ConsensusListener listener, Clock clock, Scheduler scheduler) {
        this(config, channel, sections, listener, clock, scheduler, null);
    }

    public ConsensusEngine(ConsensusConfig config, Channel channel, List<PayloadSection> sections,
            ConsensusListener listener, Clock clock, Scheduler scheduler, ConsensusStore store) {
        this.store = store;
        this.config = config;
        this.n = config.n();
        this.self = config.self();
        this.threshold = config.threshold();
        this.subnetId = config.subnetId();
        this.members = config.members();
        this.key = config.key();
        this.fault = config.faultMode();
        this.channel = channel;
        this.out = fault == FaultMode.SILENT ? new SilentChannel() : channel;
        for (PayloadSection s : sections) {
            if (!Block.validSectionName(s.name())) {
                throw new IllegalArgumentException("sections: invalid name " + s.name());
            }
            if (this.sections.put(s.name(), s) != null) {
                throw new IllegalArgumentException("sections: two sections are named " + s.name());
            }
        }
        this.listener = listener;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ranking = new Ranking(subnetId, n);
        this.pool = new ArtifactPool<>(n, new PoolLimits(4096, 3L * CATCH_UP_BYTES, WINDOW,
                (n * n + 8 * n) * WINDOW + 4096, 4096));
        Block genesis = Block.genesis(subnetId);
        this.chain = new ChainStore(genesis, Math.max(config.ancestryDepth() + 2, 256), 256L * 1024 * 1024);
        finalizedHashes.put(0L, chain.tip().hash());
        this.rankDelay = config.rankDelay().toNanos();
        this.heartbeat = config.heartbeat().toNanos();
        this.tolerance = config.clockTolerance().toNanos();
        // Retransmit when finalization has not moved for longer than an honest round can take
        // with f makers down.
        this.period = 2 * (heartbeat + (long) (config.f() + 1) * rankDelay * 2);
        this.peerFinalized = new long[n];
        this.peerNotarized = new long[n];
        this.lastCatchUpTo = new long[n];
        this.lastStatusTo = new long[n];
        this.serving = new ServingBudget("catch-up", self, n, ServingLimits.of(period));
        this.invalidCount = new int[n];
        this.quarantineUntil = new long[n];
        Arrays.fill(lastCatchUpTo, Long.MIN_VALUE / 2);
        Arrays.fill(lastStatusTo, Long.MIN_VALUE / 2);
        this.forger = fault == FaultMode.FORGE ? new Forger(config, ranking) : null;
    }

    // ------------------------------------------------------------------ public surface

    public void start() {
        scheduler.execute(() -> {
            if (started || stopped) {
                return;
            }
            started = true;
            if (fault == FaultMode.CRASH) {
                LOG.info("replica {}: consensus in fault mode CRASH: taking no part", self);
                return;
            }
            if (store != null) {
                restore();
            }
            channel.receiver(this::onFrame);
            long now = clock.nanos();
            periodStart = now;
            nextRetransmit = now + period;
            heightState(notarizedHeight + 1).roundStart = now;
            LOG.info("replica {}: consensus started (n={}, f={}, threshold={}, fault={})", self, n, config.f(),
                    threshold, fault);
            step();
        });
    }

    /**
     * After a restart: the finalized chain resumes at the store's newest height, and what this
     * replica signed above it is known again, so it neither proposes twice at a height nor signs
     * a finalization share that contradicts a notarization share it sent before the restart.
     */
    private void restore() {
        List<ArchivedHeight> tail = store.newest(chain.keepAtLeast());
        if (!tail.isEmpty()) {
            List<ChainStore.Entry> entries = new ArrayList<>();
            Hash previous = null;
            for (ArchivedHeight a : tail) {
                ChainStore.Entry e;
                try {
                    e = entry(a);
                } catch (DecodeException | RuntimeException ex) {
                    throw new IllegalStateException("replica " + self + ": the stored finalized height " + a.height()
                            + " does not decode: " + ex.getMessage(), ex);
                }
                if (previous != null && !e.block().parent().equals(previous)) {
                    throw new IllegalStateException("replica " + self + ": the stored finalized height " + a.height()
                            + " does not extend the stored height " + (a.height() - 1));
                }
                previous = e.hash();
                entries.add(e);
            }
            chain.restore(entries);
            for (ChainStore.Entry e : entries) {
                finalizedHashes.put(e.block().height(), e.hash());
            }
            finalizedHeightView = chain.height();
            notarizedHeight = chain.height();
            notarizedHeightView = chain.height();
            pool.purgeBelow(chain.height() + 1); // the admission window starts above the resumed height
        }
        int restored = 0;
        for (byte[] frame : store.signedAbove(chain.height())) {
            Msg m;
            try {
                m = Wire.decode(frame);
            } catch (DecodeException e) {
                throw new IllegalStateException("replica " + self + ": a stored own artifact does not decode: "
                        + e.getMessage(), e);
            }
            if (!(m instanceof Signed a) || a.height() <= chain.height()) {
                continue;
            }
            HeightState hs = heightState(a.height());
            hs.mine.add(a);
            if (a instanceof Proposal) {
                hs.proposed = true; // never a second, different block at this height
            } else if (a instanceof Share sh) {
                if (sh.notarization()) {
                    hs.myNotarizationShares.add(sh.hash());
                } else {
                    hs.myFinalizationShares.add(sh.hash());
                    hs.finalizationShareDecided = true;
                }
                pool.addValidated(sh);
                apply(sh);
            }
            restored++;
        }
        LOG.info("replica {}: consensus resumes at finalized height {} with {} own artifacts above it", self,
                chain.height(), restored);
    }

    private static ChainStore.Entry entry(ArchivedHeight a) throws DecodeException {
        Proposal p = (Proposal) decodeAs(a.proposal(), Proposal.class);
        if (p.height() != a.height() || !p.hash().equals(a.hash())) {
            throw new DecodeException(0, "the proposal is not the archived block");
        }
        Aggregate notarization = a.notarization() == null ? null : (Aggregate) decodeAs(a.notarization(), Aggregate.class);
        Aggregate finalization = a.finalization() == null ? null : (Aggregate) decodeAs(a.finalization(), Aggregate.class);
        return new ChainStore.Entry(p.block(), p.hash(), p, notarization, finalization);
    }

    private static Msg decodeAs(byte[] frame, Class<? extends Msg> type) throws DecodeException {
        Msg m = Wire.decode(frame);
        if (!type.isInstance(m)) {
            throw new DecodeException(0, "expected a " + type.getSimpleName() + " frame");
        }
        return m;
    }

    /** The block of a consensus proposal frame (for {@link ArchivedHeight#block()}). */
    public static Block proposalBlock(byte[] frame) throws DecodeException {
        return ((Proposal) decodeAs(frame, Proposal.class)).block();
    }

    /** The finality proof of a consensus finalization frame (for {@link ArchivedHeight#ownProof()}). */
    public static FinalityProof finalityProof(byte[] frame) throws DecodeException {
        Aggregate g = (Aggregate) decodeAs(frame, Aggregate.class);
        if (g.notarization()) {
            throw new DecodeException(1, "expected a finalization, got a notarization");
        }
        return g.proof();
    }

    public void workAvailable() {
        // Signals that arrive before the protocol thread acts on one are one signal: a busy subnet
        // (a signal per ingress message and per decided outcall) does not queue a step for each.
        if (!workSignalled.compareAndSet(false, true)) {
            return;
        }
        scheduler.execute(() -> {
            workSignalled.set(false);
            if (started && !stopped && fault != FaultMode.CRASH) {
                workUsedUp = false;
                step();
            }
        });
    }

    public long finalizedHeight() {
        return finalizedHeightView;
    }

    public long notarizedHeight() {
        return notarizedHeightView;
    }

    public Hash finalizedHash(long height) {
        return finalizedHashes.get(height);
    }

    public ConsensusMetrics metrics() {
        return new ConsensusMetrics(finalizedHeightView, notarizedHeightView, counters.get(PROPOSED),
                counters.get(EQUIVOCATIONS), counters.get(INVALID), counters.get(UNDECODABLE),
                counters.get(RETRANSMISSIONS), counters.get(CATCH_UPS), counters.get(REQUESTS), serving.refused());
    }

    public void stop() {
        stopped = true;
        scheduler.execute(() -> {
            if (wakeup != null) {
                wakeup.cancel();
            }
            channel.receiver(null);
        });
    }

    // ------------------------------------------------------------------ events

    private void onFrame(int from, byte[] frame) {
        if (stopped || from < 0 || from >= n || from == self) {
            return;
        }
        long now = clock.nanos();
        if (quarantineUntil[from] > now) {
            return;
        }
        Msg m;
        try {
            m = Wire.decode(frame);
        } catch (DecodeException e) {
            LOG.debug("replica {}: undecodable frame from {}: {}", self, from, e.getMessage());
            counters.incrementAndGet(UNDECODABLE);
            penalize(from, now);
            return;
        } catch (RuntimeException e) {
            LOG.debug("replica {}: malformed frame from {}: {}", self, from, e.toString());
            counters.incrementAndGet(UNDECODABLE);
            penalize(from, now);
            return;
        }
        if (m instanceof Status s) {
            onStatus(from, s, now);
        } else if (m instanceof Request r) {
            onRequest(from, r, now);
        } else if (m instanceof Signed a) {
            long h = a.height();
            if (h <= chain.height()) {
                return;
            }
            if (h > notarizedHeight + 2) {
                askForHelp(from, now); // the sender is ahead of us
            }
            if (pool.offer(from, a).admitted()) {
                step();
            }
        }
    }

    /** The protocol's reaction to whatever changed: runs until nothing more can be done now. */
    private void step() {
        if (stopped || halted) {
            return;
        }
        for (int round = 0; round < 1000; round++) {
            boolean progress = processUnvalidated();
            progress |= advance();
            progress |= act();
            if (!progress) {
                break;
            }
        }
        maybeRetransmit();
        scheduleWakeup();
    }

    // ------------------------------------------------------------------ validation

    private enum Verdict { ACCEPT, REJECT, DROP, DEFER }

    private boolean processUnvalidated() {
        if (pool.unvalidatedCount() == 0) {
            return false;
        }
        boolean progress = false;
        for (Unvalidated<Signed> u : pool.unvalidated(2048)) {
            Signed a = u.artifact();
            Long at = deferred.get(a.id());
            if (at != null && at == epoch) {
                continue; // nothing changed since it was last looked at
            }
            Verdict v;
            try {
                v = check(a);
            } catch (RuntimeException e) {
                LOG.error("replica {}: checking {} from {} failed", self, a.getClass().getSimpleName(), u.peer(), e);
                v = Verdict.REJECT;
            }
            switch (v) {
                case ACCEPT -> {
                    deferred.remove(a.id());
                    if (pool.accept(u)) {
                        apply(a);
                        progress = true;
                    }
                }
                case REJECT -> {
                    deferred.remove(a.id());
                    pool.reject(u);
                    counters.incrementAndGet(INVALID);
                    penalize(u.peer(), clock.nanos());
                }
                case DROP -> {
                    deferred.remove(a.id());
                    pool.drop(u);
                }
                case DEFER -> deferred.put(a.id(), epoch);
            }
            if (halted) {
                break;
            }
        }
        return progress;
    }

    private Verdict check(Signed a) {
        if (a.height() <= chain.height()) {
            return Verdict.DROP;
        }
        if (a instanceof Proposal p) {
            return checkProposal(p);
        } else if (a instanceof Share s) {
            return checkShare(s);
        } else {
            return checkAggregate((Aggregate) a);
        }
    }

    private Verdict checkProposal(Proposal p) {
        Block b = p.block();
        long h = b.height();
        int maker = b.maker();
        if (maker >= n || b.rank() != ranking.rankOf(h, maker)) {
            return Verdict.REJECT;
        }
        HeightState hs = heights.get(h);
        if (hs != null) {
            if (hs.proposals.containsKey(p.hash())) {
                return Verdict.DROP;
            }
            List<Hash> byMaker = hs.byMaker.get(maker);
            if (byMaker != null && byMaker.size() >= 2) {
                return Verdict.DROP; // equivocation already proven: more copies prove nothing new
            }
        }
        Block parent = notarizedBlock(h - 1, b.parent());
        if (parent == null) {
            if (h - 1 <= chain.height()) {
                return Verdict.DROP; // extends a block that lost finalization: useless, not provably bad
            }
            return Verdict.DEFER; // parent unknown or not notarized yet
        }
        if (b.time() <= parent.time()) {
            return Verdict.REJECT;
        }
        long now = clock.nanos();
        if (b.time() > now + tolerance) {
            due(b.time() - tolerance); // valid later, by our clock
            return Verdict.DEFER;
        }
        if (!members.get(maker).verify(Domain.BLOCK_PROPOSAL, Wire.proposalBody(subnetId, h, p.hash()), p.signature())) {
            return Verdict.REJECT;
        }
        String invalid;
        try {
            invalid = invalidPayload(b);
        } catch (CannotValidateException e) {
            if (hs != null && hs.notarized(p.hash())) {
                // n − f notaries, so at least f + 1 honest ones, checked it: follow it without voting for it.
                if (!e.catchingUp()) {
                    LOG.warn("replica {}: follows notarized block {} at height {} without checking it here: {}", self,
                            p.hash(), h, e.getMessage());
                }
                hs.unchecked.add(p.hash());
                return Verdict.ACCEPT;
            }
            // A local lack (a plugin not installed here, a height not executed yet), not the maker's
            // fault: keep the block and look again later (every wake-up re-checks deferred artifacts),
            // never blame the peer.
            if (!e.catchingUp() && cannotValidateLogged.add(p.hash())) {
                LOG.warn("replica {}: cannot validate block {} at height {}: {}; waiting", self, p.hash(), h,
                        e.getMessage());
            }
            return Verdict.DEFER;
        }
        if (invalid != null) {
            LOG.debug("replica {}: block {} of maker {} at height {} has an invalid payload: {}", self, p.hash(), maker,
                    h, invalid);
            return Verdict.REJECT;
        }
        return Verdict.ACCEPT;
    }

    private Verdict checkShare(Share s) {
        if (s.signer() >= n) {
            return Verdict.REJECT;
        }
        boolean notarization = s.notarization();
        HeightState hs = heights.get(s.height());
        if (hs != null) {
            if (hs.shareSignature(notarization, s.hash(), s.signer()) != null) {
                return Verdict.DROP;
            }
            // An honest replica signs at most one block per rank and height (notarization) or one
            // block per height (finalization); more than that is misbehaviour we need not store.
            if (hs.sharesBy(notarization, s.signer()) >= (notarization ? n : 2)) {
                return Verdict.DROP;
            }
            if ((notarization ? hs.notarized(s.hash()) : hs.finalizations.containsKey(s.hash()))) {
                return Verdict.DROP; // already aggregated
            }
        }
        byte[] body = Wire.shareBody(s.type(), subnetId, s.height(), s.hash());
        if (!members.get(s.signer()).verify(Wire.shareDomain(s.type()), body, s.signature())) {
            return Verdict.REJECT;
        }
        return Verdict.ACCEPT;
    }

    private Verdict checkAggregate(Aggregate g) {
        if (g.signatures().size() < threshold || g.signatures().lastKey() >= n) {
            return Verdict.REJECT;
        }
        boolean notarization = g.notarization();
        HeightState hs = heights.get(g.height());
        if (hs != null && (notarization ? hs.notarizations : hs.finalizations).containsKey(g.hash())) {
            return Verdict.DROP;
        }
        byte[] body = Wire.shareBody(g.type(), subnetId, g.height(), g.hash());
        Domain domain = Wire.shareDomain(g.type());
        for (Map.Entry<Integer, byte[]> e : g.signatures().entrySet()) {
            byte[] known = hs == null ? null : hs.shareSignature(notarization, g.hash(), e.getKey());
            if (known != null && Arrays.equals(known, e.getValue())) {
                continue; // checked when the share arrived
            }
            if (!members.get(e.getKey()).verify(domain, body, e.getValue())) {
                return Verdict.REJECT;
            }
        }
        return Verdict.ACCEPT;
    }

    /** The block with {@code hash} at {@code height} if it is finalized or validated and notarized here. */
    private Block notarizedBlock(long height, Hash hash) {
        if (height <= chain.height()) {
            ChainStore.Entry e = chain.get(height);
            return e != null && e.hash().equals(hash) ? e.block() : null;
        }
        HeightState hs = heights.get(height);
        if (hs == null) {
            return null;
        }
        Proposal p = hs.proposals.get(hash);
        return p != null && hs.notarized(hash) ? p.block() : null;
    }

    /** Any block this replica has at {@code height} with {@code hash} (finalized or validated). */
    private Block knownBlock(long height, Hash hash) {
        if (height <= chain.height()) {
            ChainStore.Entry e = chain.get(height);
            return e != null && e.hash().equals(hash) ? e.block() : null;
        }
        HeightState hs = heights.get(height);
        Proposal p = hs == null ? null : hs.proposals.get(hash);
        return p == null ? null : p.block();
    }

    /** Why the payload is invalid, or null. Deterministic: only the block, its ancestors and the sections. */
    private String invalidPayload(Block b) throws CannotValidateException {
        for (String name : b.payload().keySet()) {
            if (!sections.containsKey(name)) {
                return "unknown payload section " + name;
            }
        }
        long used = 0;
        for (PayloadSection s : sections.values()) {
            byte[] bytes = b.payloadOf(s.name());
            long max = Block.MAX_PAYLOAD_BYTES - used;
            if (bytes.length > max) {
                return "section " + s.name() + " has " + bytes.length + " bytes, at most " + max;
            }
            Context ctx = context(b.height(), b.time(), b.maker(), max, s.name(), b.parent());
            try {
                s.validate(ctx, bytes);
            } catch (CannotValidateException e) {
                throw new CannotValidateException("section " + s.name() + ": " + e.getMessage(), e);
            } catch (InvalidPayloadException e) {
                return "section " + s.name() + ": " + e.getMessage();
            } catch (RuntimeException e) {
                LOG.error("replica {}: payload section {} failed validating height {}", self, s.name(), b.height(), e);
                return "section " + s.name() + " failed: " + e;
            }
            used += bytes.length;
        }
        return null;
    }

    private Context context(long height, long time, int maker, long maxBytes, String section, Hash parent) {
        return new Context(height, time, maker, maxBytes, () -> ancestors(section, height - 1, parent));
    }

    /** {@code section}'s payloads from the block {@code hash} at {@code height} downwards, newest first. */
    private List<byte[]> ancestors(String section, long height, Hash hash) {
        List<byte[]> out = new ArrayList<>();
        Hash cur = hash;
        for (long h = height; h >= 1 && out.size() < config.ancestryDepth(); h--) {
            Block b = knownBlock(h, cur);
            if (b == null) {
                // Only reachable for a block older than everything kept, which validation never needs.
                LOG.error("replica {}: ancestor {} at height {} is not available", self, cur, h);
                break;
            }
            out.add(b.payloadOf(section));
            cur = b.parent();
        }
        return out;
    }

    // ------------------------------------------------------------------ bookkeeping of validated artifacts

    private HeightState heightState(long h) {
        return heights.computeIfAbsent(h, k -> new HeightState(k, n));
    }

    private void apply(Signed a) {
        if (a instanceof Proposal p) {
            HeightState hs = heightState(p.height());
            hs.proposals.put(p.hash(), p);
            List<Hash> byMaker = hs.byMaker.computeIfAbsent(p.maker(), k -> new ArrayList<>(2));
            byMaker.add(p.hash());
            if (byMaker.size() >= 2 && hs.disqualified.add(p.maker())) {
                counters.incrementAndGet(EQUIVOCATIONS);
                LOG.warn("replica {}: maker {} proposed two blocks at height {}: disqualified there", self, p.maker(),
                        p.height());
            }
            epoch++;
        } else if (a instanceof Share s) {
            HeightState hs = heightState(s.height());
            boolean notarization = s.notarization();
            int count = hs.addShare(notarization, s.hash(), s.signer(), s.signature());
            if (count >= threshold) {
                Map<Hash, Aggregate> target = notarization ? hs.notarizations : hs.finalizations;
                if (!target.containsKey(s.hash())) {
                    TreeMap<Integer, byte[]> sigs = hs.shares(notarization).get(s.hash());
                    Aggregate g = Wire.aggregate(notarization ? Wire.NOTARIZATION : Wire.FINALIZATION, s.height(),
                            s.hash(), sigs);
                    target.put(s.hash(), g);
                    pool.addValidated(g);
                    epoch++;
                }
            }
        } else if (a instanceof Aggregate g) {
            HeightState hs = heightState(g.height());
            boolean notarization = g.notarization();
            (notarization ? hs.notarizations : hs.finalizations).putIfAbsent(g.hash(), g);
            for (Map.Entry<Integer, byte[]> e : g.signatures().entrySet()) {
                hs.addShare(notarization, g.hash(), e.getKey(), e.getValue());
            }
            epoch++;
        }
    }

    // ------------------------------------------------------------------ notarized and finalized heights

    private boolean advance() {
        boolean progress = false;
        long nh = notarizedHeight;
        while (true) {
            HeightState hs = heights.get(nh + 1);
            if (hs != null && hs.hasNotarizedBlock()) {
                nh++;
            } else {
                break;
            }
        }
        if (nh > notarizedHeight) {
            notarizedHeight = nh;
            notarizedHeightView = nh;
            HeightState next = heightState(nh + 1);
            if (next.roundStart < 0) {
                next.roundStart = clock.nanos();
            }
            epoch++;
            progress = true;
        }
        for (long h = notarizedHeight; h > chain.height(); h--) {
            HeightState hs = heights.get(h);
            if (hs == null) {
                continue;
            }
            for (Hash hash : hs.finalizations.keySet()) {
                if (hs.proposals.containsKey(hash)) {
                    finalizeUpTo(h, hash);
                    return true;
                }
            }
        }
        requestMissingBlocks();
        return progress;
    }

    private void finalizeUpTo(long height, Hash hash) {
        List<Proposal> path = new ArrayList<>();
        Hash cur = hash;
        for (long h = height; h > chain.height(); h--) {
            HeightState hs = heights.get(h);
            Proposal p = hs == null ? null : hs.proposals.get(cur);
            if (p == null) {
                LOG.error("replica {}: ancestor {} at height {} of finalized block {} is missing", self, cur, h, hash);
                return;
            }
            path.add(p);
            cur = p.block().parent();
        }
        if (!cur.equals(chain.tip().hash())) {
            // Two different finalized chains: impossible with at most f faulty replicas.
            halted = true;
            LOG.error("replica {}: SAFETY VIOLATION: block {} at height {} is finalized but does not extend the "
                    + "finalized block {} at height {}; more than f={} replicas must be faulty. Consensus halts.",
                    self, hash, height, chain.tip().hash(), chain.height(), config.f());
            return;
        }
        Collections.reverse(path);
        Aggregate top = heights.get(height).finalizations.get(hash);
        for (Proposal p : path) {
            HeightState hs = heights.get(p.height());
            Aggregate own = hs.finalizations.get(p.hash());
            Aggregate notarization = hs.notarizations.get(p.hash());
            if (store != null) {
                store.finalized(new ArchivedHeight(p.height(), p.hash(), p.frame(),
                        notarization == null ? null : notarization.frame(), own == null ? null : own.frame()));
            }
            chain.append(p, notarization, own);
            finalizedHashes.put(p.height(), p.hash());
            finalizedHashes.remove(p.height() - REMEMBER_HASHES);
            finalizedHeightView = p.height();
            FinalityProof proof = (own != null ? own : top).proof();
            try {
                listener.onFinalized(new FinalizedBlock(p.block(), proof.encode()));
            } catch (RuntimeException e) {
                LOG.error("replica {}: the consensus listener failed on height {}", self, p.height(), e);
            }
        }
        long fin = chain.height();
        heights.headMap(fin, true).clear();
        pool.purgeBelow(fin + 1);
        deferred.keySet().removeIf(id -> !pool.contains(id));
        cannotValidateLogged.clear();
        if (notarizedHeight < fin) {
            notarizedHeight = fin;
            notarizedHeightView = fin;
        }
        HeightState next = heightState(notarizedHeight + 1);
        if (next.roundStart < 0) {
            next.roundStart = clock.nanos();
        }
        nextRetransmit = clock.nanos() + period;
        epoch++;
        if (stopped) {
            return;
        }
        LOG.debug("replica {}: finalized height {}", self, fin);
    }

    /**
     * Asks peers for blocks this replica lacks although at least one honest replica has them:
     * blocks with a notarization or finalization, or with notarization shares from f + 1 replicas.
     * (ICC has honest replicas echo every block they notarization-share; asking instead saves the
     * bandwidth in the common case, and retransmission repeats the echo when a round stalls.)
     */
    private void requestMissingBlocks() {
        long now = clock.nanos();
        for (HeightState hs : heights.tailMap(chain.height(), false).values()) {
            for (Aggregate g : hs.notarizations.values()) {
                requestMissing(hs, g.hash(), g.signatures().keySet(), now);
            }
            for (Aggregate g : hs.finalizations.values()) {
                requestMissing(hs, g.hash(), g.signatures().keySet(), now);
            }
            for (Map.Entry<Hash, TreeMap<Integer, byte[]>> e : hs.notarizationShares.entrySet()) {
                if (e.getValue().size() > config.f()) {
                    requestMissing(hs, e.getKey(), e.getValue().keySet(), now);
                }
            }
        }
    }

    private void requestMissing(HeightState hs, Hash hash, Set<Integer> holders, long now) {
        if (hs.proposals.containsKey(hash)) {
            return;
        }
        Long last = hs.requested.get(hash);
        if (last != null && now - last < period / 2) {
            return;
        }
        hs.requested.put(hash, now);
        counters.incrementAndGet(REQUESTS);
        byte[] frame = Wire.request(hs.height, hash);
        for (int signer : holders) {
            if (signer != self) {
                out.send(signer, frame);
            }
        }
    }

    // ------------------------------------------------------------------ acting

    private boolean act() {
        if (fault == FaultMode.CRASH) {
            return false;
        }
        boolean progress = finalizationShares();
        long r = notarizedHeight + 1;
        if (r - chain.height() >= WINDOW) {
            return progress; // peers would not admit artifacts this far ahead of our finalized height
        }
        HeightState hs = heightState(r);
        if (hs.roundStart < 0) {
            hs.roundStart = clock.nanos();
        }
        progress |= notarizationShare(hs);
        progress |= propose(hs);
        return progress;
    }

    /** ICC: finalization-share the one notarized block of a height if that is all this replica notarization-shared there. */
    private boolean finalizationShares() {
        boolean progress = false;
        for (long h = chain.height() + 1; h <= notarizedHeight; h++) {
            HeightState hs = heights.get(h);
            if (hs == null) {
                continue;
            }
            List<Proposal> notarized = hs.notarizedBlocks();
            if (fault == FaultMode.EQUIVOCATE) {
                for (Proposal p : notarized) {
                    if (hs.myFinalizationShares.add(p.hash())) {
                        sendShare(hs, Wire.FINALIZATION_SHARE, p.hash());
                        progress = true;
                    }
                }
                continue;
            }
            if (hs.finalizationShareDecided || notarized.isEmpty()) {
                continue;
            }
            hs.finalizationShareDecided = true;
            if (notarized.size() != 1) {
                continue; // two notarized blocks: this height cannot be finalized directly
            }
            Hash b = notarized.get(0).hash();
            if (hs.myNotarizationShares.isEmpty() || (hs.myNotarizationShares.size() == 1 && hs.myNotarizationShares.contains(b))) {
                if (fault == FaultMode.FORGE) {
                    continue; // a forger signs only garbage
                }
                hs.myFinalizationShares.add(b);
                sendShare(hs, Wire.FINALIZATION_SHARE, b);
                progress = true;
            }
        }
        return progress;
    }

    /** ICC: notarization-share the lowest-ranked valid block of the current round once its rank delay passed. */
    private boolean notarizationShare(HeightState hs) {
        if (fault == FaultMode.FORGE) {
            return false;
        }
        if (fault == FaultMode.EQUIVOCATE) {
            boolean progress = false;
            for (Proposal p : hs.proposals.values()) {
                if (hs.myNotarizationShares.add(p.hash())) {
                    sendShare(hs, Wire.NOTARIZATION_SHARE, p.hash());
                    progress = true;
                }
            }
            return progress;
        }
        List<Proposal> candidates = hs.rankedCandidates();
        if (candidates.isEmpty()) {
            return false;
        }
        Proposal best = candidates.get(0);
        if (hs.myNotarizationShares.contains(best.hash())) {
            return false;
        }
        long at = hs.roundStart + delay(best.rank());
        if (clock.nanos() < at) {
            due(at);
            return false;
        }
        hs.myNotarizationShares.add(best.hash());
        sendShare(hs, Wire.NOTARIZATION_SHARE, best.hash());
        return true;
    }

    private void sendShare(HeightState hs, int type, Hash hash) {
        byte[] sig = key.sign(Wire.shareDomain(type), Wire.shareBody(type, subnetId, hs.height, hash));
        Share s = Wire.share(type, hs.height, hash, self, sig);
        persist(s);
        out.broadcast(s.frame());
        hs.mine.add(s);
        pool.addValidated(s);
        apply(s);
    }

    /** Rank delay, stretched by 1.5 per height that finalization lags notarization (as the IC does). */
    private long delay(int rank) {
        if (rank == 0) {
            return 0;
        }
        long gap = Math.max(0, Math.min(MAX_BACKOFF_EXPONENT, notarizedHeight - chain.height() - 1));
        double factor = Math.pow(1.5, gap);
        return (long) (rank * (double) rankDelay * factor);
    }

    private boolean propose(HeightState hs) {
        if (hs.proposed) {
            return false;
        }
        long now = clock.nanos();
        int myRank = ranking.rankOf(hs.height, self);
        if (fault == FaultMode.FORGE) {
            if (lastForgedRound != hs.height) {
                lastForgedRound = hs.height;
                hs.proposed = true;
                Parent parent = chooseParent(hs.height);
                if (parent != null) {
                    forger.forge(out, hs.height, parent.block(), parent.hash(), sections.keySet());
                }
            }
            return false;
        }
        if (fault != FaultMode.EQUIVOCATE) {
            for (Proposal c : hs.rankedCandidates()) {
                if (c.rank() < myRank) {
                    return false; // a better block is already here
                }
            }
            boolean work = !workUsedUp && anyWork();
            long at = hs.roundStart + delay(myRank) + (work ? 0 : heartbeat);
            if (now < at) {
                due(at);
                return false;
            }
        }
        Parent parent = chooseParent(hs.height);
        if (parent == null) {
            return false;
        }
        long time = Math.max(now, parent.block().time() + 1);
        Block block = build(hs.height, parent.hash(), myRank, time);
        if (block.payload().isEmpty() && now < hs.roundStart + delay(myRank) + heartbeat) {
            workUsedUp = true; // proposed early for work that produced nothing
        }
        hs.proposed = true;
        counters.incrementAndGet(PROPOSED);
        if (fault == FaultMode.EQUIVOCATE) {
            Block twin = new Block(block.height(), block.parent(), block.rank(), block.maker(), block.time() + 1,
                    block.payload());
            Proposal a = sign(block);
            Proposal b = sign(twin);
            persist(a);
            persist(b);
            for (int peer = 0; peer < n; peer++) {
                if (peer != self) {
                    out.send(peer, (peer % 2 == 0 ? a : b).frame());
                }
            }
            for (Proposal p : List.of(a, b)) {
                hs.mine.add(p);
                pool.addValidated(p);
                apply(p);
            }
            return true;
        }
        Proposal p = sign(block);
        persist(p);
        out.broadcast(p.frame());
        hs.mine.add(p);
        pool.addValidated(p);
        apply(p);
        LOG.debug("replica {}: proposed {} at height {} (rank {})", self, p.hash(), hs.height, myRank);
        return true;
    }

    /** An own artifact is on disk before anyone can see it (a restarted replica must not contradict it). */
    private void persist(Signed a) {
        if (store != null) {
            store.signed(a.height(), a.frame());
        }
    }

    private Proposal sign(Block block) {
        Hash hash = block.hash();
        byte[] sig = key.sign(Domain.BLOCK_PROPOSAL, Wire.proposalBody(subnetId, block.height(), hash));
        return Wire.proposal(block, hash, sig);
    }

    /** The parent for a block at {@code height}: the finalized tip, or the best notarized block below. */
    private Parent chooseParent(long height) {
        if (height - 1 == chain.height()) {
            return new Parent(chain.tip().block(), chain.tip().hash());
        }
        HeightState ps = heights.get(height - 1);
        if (ps == null) {
            return null;
        }
        Proposal best = null;
        for (Proposal p : ps.notarizedBlocks()) {
            if (best == null || (ps.finalizations.containsKey(p.hash()) && !ps.finalizations.containsKey(best.hash()))
                    || (ps.finalizations.containsKey(p.hash()) == ps.finalizations.containsKey(best.hash())
                            && (p.rank() < best.rank() || (p.rank() == best.rank() && p.hash().compareTo(best.hash()) < 0)))) {
                best = p;
            }
        }
        return best == null ? null : new Parent(best.block(), best.hash());
    }

    private record Parent(Block block, Hash hash) {
    }

    private Block build(long height, Hash parent, int rank, long time) {
        TreeMap<String, byte[]> payload = new TreeMap<>();
        long used = 0;
        for (PayloadSection s : sections.values()) {
            long max = Block.MAX_PAYLOAD_BYTES - used;
            byte[] bytes;
            Context ctx = context(height, time, self, max, s.name(), parent);
            try {
                bytes = s.build(ctx);
                if (bytes == null) {
                    bytes = new byte[0];
                }
                if (bytes.length > max) {
                    LOG.error("replica {}: section {} built {} bytes, at most {} allowed: left out", self, s.name(),
                            bytes.length, max);
                    bytes = new byte[0];
                }
                // Never propose what we would reject ourselves.
                s.validate(context(height, time, self, max, s.name(), parent), bytes);
            } catch (InvalidPayloadException | RuntimeException e) {
                LOG.error("replica {}: section {} built an invalid payload at height {}: left out", self, s.name(),
                        height, e);
                bytes = new byte[0];
            }
            if (bytes.length > 0) {
                payload.put(s.name(), bytes);
                used += bytes.length;
            }
        }
        return new Block(height, parent, rank, self, time, payload);
    }

    private boolean anyWork() {
        for (PayloadSection s : sections.values()) {
            try {
                if (s.hasWork()) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.error("replica {}: section {} failed in hasWork", self, s.name(), e);
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ retransmission and catch-up

    private void maybeRetransmit() {
        long now = clock.nanos();
        if (now - periodStart >= period) {
            periodStart = now;
            Arrays.fill(invalidCount, 0);
        }
        if (now < nextRetransmit) {
            return;
        }
        nextRetransmit = now + period;
        counters.incrementAndGet(RETRANSMISSIONS);
        // Finalization has not moved for a whole period: frames may have been lost, or peers
        // were down. Say where we are and repeat what we signed above the finalized height.
        out.broadcast(Wire.status(chain.height(), notarizedHeight));
        for (HeightState hs : heights.tailMap(chain.height(), false).values()) {
            for (Signed s : hs.mine) {
                out.broadcast(s.frame());
            }
            // ICC's echo: the blocks we notarization-shared, so every honest replica can share them too.
            for (Hash h : hs.myNotarizationShares) {
                Proposal p = hs.proposals.get(h);
                if (p != null && p.maker() != self) {
                    out.broadcast(p.frame());
                }
            }
        }
        LOG.debug("replica {}: no finalization for a while at height {}: retransmitted", self, chain.height());
    }

    private void askForHelp(int peer, long now) {
        if (now - lastStatusTo[peer] >= period / 4) {
            lastStatusTo[peer] = now;
            out.send(peer, Wire.status(chain.height(), notarizedHeight));
        }
    }

    private void onStatus(int from, Status s, long now) {
        peerFinalized[from] = Math.max(peerFinalized[from], s.finalized());
        peerNotarized[from] = Math.max(peerNotarized[from], s.notarized());
        if (s.finalized() < chain.height() || s.notarized() < notarizedHeight) {
            if (now - lastCatchUpTo[from] >= period / 8 && serving.admit(from, null, 0, now)) {
                lastCatchUpTo[from] = now;
                counters.incrementAndGet(CATCH_UPS);
                sendCatchUp(from, s);
            }
        }
        if (s.finalized() > chain.height() || s.notarized() > notarizedHeight) {
            askForHelp(from, now);
        }
    }

    /** Sends a peer that is behind the blocks and certificates it needs next, bounded in heights and bytes. */
    private void sendCatchUp(int to, Status s) {
        long bytes = 0;
        int heightsSent = 0;
        long h = s.finalized() + 1;
        for (; h <= chain.height(); h++) {
            ChainStore.Entry e = chain.get(h);
            boolean finalization;
            if (e != null) {
                bytes += serve(to, e.proposal());
                bytes += serve(to, e.notarization());
                bytes += serve(to, e.finalization());
                finalization = e.finalization() != null;
            } else {
                // Older than what is kept in memory: from the archive, if this replica persists.
                ArchivedHeight a = store == null ? null : store.archived(h);
                if (a == null) {
                    LOG.warn("replica {}: peer {} is at height {}, older than the {} kept here: it needs a state sync",
                            self, to, s.finalized(), store == null ? chain.oldest() : "heights");
                    return;
                }
                bytes += serve(to, a.proposal());
                bytes += serve(to, a.notarization());
                bytes += serve(to, a.finalization());
                finalization = a.finalization() != null;
            }
            heightsSent++;
            boolean enough = (heightsSent >= CATCH_UP_HEIGHTS && finalization) || bytes > CATCH_UP_BYTES
                    || heightsSent >= CATCH_UP_MAX_HEIGHTS;
            if (enough) {
                return;
            }
        }
        for (HeightState hs : heights.tailMap(chain.height(), false).values()) {
            for (Proposal p : hs.notarizedBlocks()) {
                bytes += serve(to, p);
                bytes += serve(to, hs.notarizations.get(p.hash()));
                bytes += serve(to, hs.finalizations.get(p.hash()));
            }
            if (bytes > CATCH_UP_BYTES || ++heightsSent >= CATCH_UP_MAX_HEIGHTS) {
                return;
            }
        }
    }

    private long serve(int to, Signed a) {
        return a == null ? 0 : serve(to, a.frame());
    }

    /** Sends a frame of a reply within the peer's serving budget; its size, or {@link #REFUSED}. */
    private long serve(int to, byte[] frame) {
        if (frame == null) {
            return 0;
        }
        if (!serving.spend(to, frame.length, clock.nanos())) {
            return REFUSED;
        }
        out.send(to, frame);
        return frame.length;
    }

    private void onRequest(int from, Request r, long now) {
        HeightState hs = heights.get(r.height());
        Proposal p = hs == null ? null : hs.proposals.get(r.hash());
        if (p == null && r.height() <= chain.height()) {
            ChainStore.Entry e = chain.get(r.height());
            if (e != null && e.hash().equals(r.hash())) {
                p = e.proposal();
            }
        }
        if (p != null && serving.admit(from, r, 0, now)) { // the same request again within P / 4: not answered
            serve(from, p);
        }
    }

    private void penalize(int peer, long now) {
        if (++invalidCount[peer] > INVALID_PER_PERIOD && quarantineUntil[peer] <= now) {
            quarantineUntil[peer] = now + period;
            LOG.warn("replica {}: peer {} sent more than {} invalid artifacts: ignoring it for {} ms", self, peer,
                    INVALID_PER_PERIOD, Duration.ofNanos(period).toMillis());
        }
    }

    // ------------------------------------------------------------------ timers

    /** Something becomes possible at local time {@code at}: wake up then. */
    private void due(long at) {
        if (at < nextDue) {
            nextDue = at;
        }
    }

    private void scheduleWakeup() {
        long at = Math.min(nextDue, nextRetransmit);
        nextDue = Long.MAX_VALUE;
        if (stopped) {
            return;
        }
        if (wakeup != null && wakeupAt <= at && wakeupAt > clock.nanos()) {
            return; // an earlier wake-up is already set; it recomputes everything
        }
        if (wakeup != null) {
            wakeup.cancel();
        }
        wakeupAt = at;
        long delay = Math.max(0, at - clock.nanos());
        wakeup = scheduler.schedule(Duration.ofNanos(delay), () -> {
            wakeup = null;
            wakeupAt = Long.MAX_VALUE;
            epoch++; // time passed: deferred blocks may have become valid
            step();
        });
    }

    /** Sends nothing: the SILENT fault mode. */
    private static final class SilentChannel implements Channel {
        @Override
        public void send(int peer, byte[] frame) {
        }

        @Override
        public void broadcast(byte[] frame) {
        }

        @Override
        public void receiver(FrameReceiver receiver) {
        }
    }

    @Override
    public String toString() {
        return "ConsensusEngine[replica " + self + ", finalized " + chain.height() + ", notarized " + notarizedHeight
                + ", " + pool + "]";
    }

    /** A multi-line description of the unfinalized heights, for debugging a stuck or failing run. */
    public String describe() {
        StringBuilder b = new StringBuilder(toString()).append('\n');
        long now = clock.nanos();
        for (HeightState hs : heights.values()) {
            b.append("  h=").append(hs.height).append(" roundStart=")
                    .append(hs.roundStart < 0 ? "-" : ((now - hs.roundStart) / 1_000_000) + "ms ago")
                    .append(" proposed=").append(hs.proposed).append(" disqualified=").append(hs.disqualified)
                    .append(" finalizationShareDecided=").append(hs.finalizationShareDecided).append('\n');
            for (Proposal p : hs.proposals.values()) {
                b.append("    block ").append(p.hash()).append(" maker=").append(p.maker()).append(" rank=")
                        .append(p.rank()).append(" notarized=").append(hs.notarized(p.hash())).append(" final=")
                        .append(hs.finalizations.containsKey(p.hash())).append(" nShares=")
                        .append(hs.notarizationShares.getOrDefault(p.hash(), new TreeMap<>()).keySet())
                        .append(" fShares=").append(hs.finalizationShares.getOrDefault(p.hash(), new TreeMap<>()).keySet())
                        .append('\n');
            }
            b.append("    mine: N=").append(hs.myNotarizationShares).append(" F=").append(hs.myFinalizationShares)
                    .append(" other notarizations=").append(hs.notarizations.keySet()).append(" finalizations=")
                    .append(hs.finalizations.keySet()).append('\n');
        }
        b.append("  unvalidated: ").append(pool.unvalidatedCount()).append(", deferred ").append(deferred.size())
                .append(", quarantine ").append(Arrays.toString(quarantineUntil)).append(" now ").append(now);
        return b.toString();
    }

}
