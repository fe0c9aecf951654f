package org.outcalls.consensus.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.ConsensusListener;
import org.outcalls.consensus.ConsensusMetrics;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.Membership;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.consensus.internal.Wire.Msg;
import org.outcalls.consensus.internal.Wire.Request;
import org.outcalls.consensus.internal.Wire.Signed;
import org.outcalls.consensus.internal.Wire.Status;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's Internet Computer Consensus: the event loop around its roles. Everything runs on
 * the replica's protocol thread: frames from the channel, timers, and {@link #workAvailable()}
 * (which hops onto it). After every event {@link #step()} has the {@link Validator} check what
 * arrived, advances the notarized height, has the {@link Finalizer} extend the chain, and then
 * lets the replica's {@link Behaviour} act through the {@link Finalizer}, {@link Notary} and
 * {@link BlockMaker}; the next time-triggered action is one scheduled wake-up. Nothing polls.
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

    private final Params params;
    private final int self;
    private final Channel channel;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Behaviour behaviour;
    /** Null when nothing is persisted (one JVM, tests). */
    private final ConsensusStore store;
    private final ConsensusState state;
    private final PeerGuard guard;
    private final Validator validator;
    private final Purger purger;
    private final Retransmission retransmission;
    private final CatchUp catchUp;
    private final Finalizer finalizer;
    private final Notary notary;
    private final BlockMaker maker;

    private Scheduler.Cancellable wakeup;
    private long wakeupAt = Long.MAX_VALUE;
    private volatile boolean stopped;
    private boolean started;
    /** A workAvailable() step is queued on the protocol thread and has not started yet. */
    private final AtomicBoolean workSignalled = new AtomicBoolean();

    /**
     * @param behaviours this replica's behaviour for its configured fault mode, made from the
     *                   configuration and the engine's ranking (the fault modes live in {@code internal.byzantine},
     *                   which builds on this package, so the caller chooses them)
     */
    public ConsensusEngine(ConsensusConfig config, Channel channel, List<PayloadSection> sections,
            ConsensusListener listener, Clock clock, Scheduler scheduler, ConsensusStore store, Membership membership,
            BiFunction<ConsensusConfig, Ranking, Behaviour> behaviours) {
        this.params = Params.of(config);
        this.self = params.self();
        this.store = store;
        this.channel = channel;
        this.clock = clock;
        this.scheduler = scheduler;
        this.state = ConsensusState.create(params, membership, WINDOW, 3L * CatchUp.CATCH_UP_BYTES);
        Ranking ranking = new Ranking(params.subnetId(), state.committees::sizeAt);
        this.behaviour = behaviours.apply(config, ranking);
        Channel out = behaviour.outgoing(channel);
        Sections payloads = new Sections(sections, state);
        Publisher publisher = new Publisher(state, out, store);
        this.guard = new PeerGuard(params);
        this.validator = new Validator(state, payloads, ranking, guard, clock);
        this.purger = new Purger(state, validator);
        this.retransmission = new Retransmission(state, out);
        this.catchUp = new CatchUp(state, out, store, clock);
        this.finalizer = new Finalizer(state, publisher, purger, retransmission, listener, store, clock);
        this.notary = new Notary(state, publisher, clock);
        this.maker = new BlockMaker(state, payloads, publisher, ranking, clock);
    }

    // ------------------------------------------------------------------ public surface

    public void start() {
        scheduler.execute(() -> {
            if (started || stopped) {
                return;
            }
            started = true;
            if (!behaviour.takesPart()) {
                LOG.info("replica {}: consensus in fault mode {}: taking no part", self, params.config().faultMode());
                return;
            }
            if (store != null) {
                new Restorer(state, store, purger).restore();
            }
            channel.receiver(this::onFrame);
            long now = clock.nanos();
            guard.start(now);
            retransmission.finalizationMoved(now);
            state.heightState(state.notarizedHeight() + 1).roundStart = now;
            LOG.info("replica {}: consensus started (n={}, f={}, threshold={}, fault={})", self, params.n(),
                    params.f(), params.threshold(), params.config().faultMode());
            step();
        });
    }

    public void workAvailable() {
        // Signals that arrive before the protocol thread acts on one are one signal: a busy subnet
        // (a signal per ingress message and per decided outcall) does not queue a step for each.
        if (!workSignalled.compareAndSet(false, true)) {
            return;
        }
        scheduler.execute(() -> {
            workSignalled.set(false);
            if (started && !stopped && behaviour.takesPart()) {
                maker.workAvailable();
                step();
            }
        });
    }

    public long finalizedHeight() {
        return state.finalizedHeightView();
    }

    public long[] peerFinalizedHeights() {
        return catchUp.peerFinalizedHeights();
    }

    public long notarizedHeight() {
        return state.notarizedHeightView();
    }

    public Hash finalizedHash(long height) {
        return state.finalizedHashes.get(height);
    }

    public ConsensusMetrics metrics() {
        Counters c = state.counters;
        return new ConsensusMetrics(state.finalizedHeightView(), state.notarizedHeightView(),
                c.get(Counters.PROPOSED), c.get(Counters.EQUIVOCATIONS), c.get(Counters.INVALID),
                c.get(Counters.UNDECODABLE), c.get(Counters.RETRANSMISSIONS), c.get(Counters.CATCH_UPS),
                c.get(Counters.REQUESTS), catchUp.refused());
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
        if (stopped || from < 0 || from >= params.capacity() || from == self) {
            return;
        }
        long now = clock.nanos();
        if (guard.ignored(from, now)) {
            return;
        }
        Msg m;
        try {
            m = Wire.decode(frame);
        } catch (DecodeException e) {
            LOG.debug("replica {}: undecodable frame from {}: {}", self, from, e.getMessage());
            state.counters.count(Counters.UNDECODABLE);
            guard.penalize(from, now);
            return;
        } catch (RuntimeException e) {
            LOG.debug("replica {}: malformed frame from {}: {}", self, from, e.toString());
            state.counters.count(Counters.UNDECODABLE);
            guard.penalize(from, now);
            return;
        }
        if (m instanceof Status s) {
            catchUp.onStatus(from, s, now);
        } else if (m instanceof Request r) {
            catchUp.onRequest(from, r, now);
        } else if (m instanceof Signed a) {
            long h = a.height();
            if (h <= state.finalizedHeight()) {
                return;
            }
            if (h > state.notarizedHeight() + 2) {
                catchUp.askForHelp(from, now); // the sender is ahead of us
            }
            if (state.pool.offer(from, a).admitted()) {
                step();
            }
        }
    }

    /** The protocol's reaction to whatever changed: runs until nothing more can be done now. */
    private void step() {
        if (stopped || state.halted) {
            return;
        }
        for (int round = 0; round < 1000; round++) {
            boolean progress = validator.processUnvalidated();
            progress |= advance();
            progress |= act();
            if (!progress) {
                break;
            }
        }
        long now = clock.nanos();
        guard.tick(now);
        retransmission.maybeRetransmit(now);
        scheduleWakeup();
    }

    /** Raises the notarized height, finalizes what it can, and asks for blocks it lacks. */
    private boolean advance() {
        boolean progress = state.advanceNotarized(clock.nanos());
        if (finalizer.finalizeNext()) {
            return true;
        }
        retransmission.requestMissingBlocks(clock.nanos());
        return progress;
    }

    /** Lets the behaviour act: finalization shares, then in the current round a notarization share and a proposal. */
    private boolean act() {
        if (!behaviour.takesPart()) {
            return false;
        }
        if (catchUp.vouchedFinalizedHeight() > state.finalizedHeight()) {
            // Behind heights the subnet has finalized: catch up first, sign nothing there. Signing could only be
            // useless, or, for a replica restored from a backup (which forgot what it signed after it), contradict
            // what it signed at those heights before.
            return false;
        }
        boolean progress = finalizer.shareAll(behaviour);
        long r = state.notarizedHeight() + 1;
        if (r - state.finalizedHeight() >= WINDOW) {
            return progress; // peers would not admit artifacts this far ahead of our finalized height
        }
        HeightState hs = state.heightState(r);
        if (hs.roundStart < 0) {
            hs.roundStart = clock.nanos();
        }
        progress |= behaviour.notarizationShares(notary, r);
        progress |= behaviour.propose(maker, r);
        return progress;
    }

    // ------------------------------------------------------------------ timers

    private void scheduleWakeup() {
        long at = Math.min(state.takeDue(), retransmission.next());
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
            state.epoch++; // time passed: deferred blocks may have become valid
            step();
        });
    }

    @Override
    public String toString() {
        return "ConsensusEngine[replica " + self + ", finalized " + state.finalizedHeight() + ", notarized "
                + state.notarizedHeight() + ", " + state.pool + "]";
    }

    /** A multi-line description of the unfinalized heights, for debugging a stuck or failing run. */
    public String describe() {
        StringBuilder b = new StringBuilder(toString()).append('\n');
        long now = clock.nanos();
        state.describe(b, now);
        b.append("  unvalidated: ").append(state.pool.unvalidatedCount()).append(", deferred ")
                .append(validator.deferredCount()).append(", quarantine ").append(guard).append(" now ").append(now);
        return b.toString();
    }
}
