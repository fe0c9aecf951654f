package org.outcalls.replica.internal.node;

import org.outcalls.replica.internal.byzantine.ScriptedAdversary;
import org.outcalls.replica.internal.exec.ReplicaStateMachine;
import org.outcalls.replica.internal.ingress.IngressPayload;
import org.outcalls.replica.local.ConsensusTiming;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.outcalls.consensus.Consensus;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.Membership;
import org.outcalls.consensus.outcall.OutcallCommittees;
import org.outcalls.replica.MembershipSchedule;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.outcalls.consensus.FinalityProof;
import org.outcalls.consensus.FinalizedBlock;
import org.outcalls.consensus.outcall.DecidedOutcall;
import org.outcalls.consensus.outcall.ItemValidator;
import org.outcalls.consensus.outcall.OutcallPayloadSection;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.internal.ingress.Ingress;
import org.outcalls.replica.MissingCanisterException;
import org.outcalls.replica.OutcallDelivery;
import org.outcalls.replica.Replica;
import org.outcalls.replica.RequestContext;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.replica.byzantine.Adversary;
import org.outcalls.replica.internal.outcall.ContextHistory;
import org.outcalls.transport.Transport;
import org.outcalls.replica.internal.outcall.ContextInfos;
import org.outcalls.replica.internal.outcall.OutcallManager;
import org.outcalls.replica.internal.store.Recovery;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica, wired: consensus over its transport endpoint, with the ingress and outcall payload
 * sections; the replicated state machine executing each finalized block; the outcall manager
 * fetching for the contexts a block opens. Finalized blocks are executed on the replica's protocol
 * thread, in height order, exactly once.
 */
public final class ReplicaNode {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaNode.class);
    private static final Duration RETRY_HALTED = Duration.ofSeconds(1);

    private final int index;
    private final NodeSetup setup;
    private final Hash subnetId;
    private final Replica replica;
    private final Ingress ingress;
    private final OutcallManager outcalls;
    private final ContextHistory contexts;
    /** Null for an honest replica. */
    private final Adversary adversary;
    private final PluginAnnouncer announcer;
    private final Consensus consensus;
    private final HeightListeners heightListeners = new HeightListeners();
    private final Deque<FinalizedBlock> unexecuted = new ArrayDeque<>();
    private final PluginCheck pluginCheck;
    private long checkedRegistryVersion = -1;
    private volatile String waitingFor;
    /** Null: nothing persisted. */
    private final ReplicaStore store;
    /** Heights up to this one are stored blocks re-executed after a restart. */
    private long replayedUpTo = -1;
    private boolean retryScheduled;
    private boolean haltLogged;
    /** Who the members are at each height, as the executed state says; renewed after every block. */
    private volatile MembershipSchedule schedule;
    private final List<Consumer<MembershipSchedule>> membershipListeners = new CopyOnWriteArrayList<>();

    public ReplicaNode(NodeSetup setup) {
        this(setup, null);
    }

    /**
     * A replica that persists (multi-host): its state starts from the store's newest checkpoint,
     * {@link #start()} re-executes the stored finalized blocks above it before consensus resumes at
     * the stored tip, and consensus records what it signs and finalizes in the store.
     *
     * @param store null: nothing is persisted (one JVM)
     */
    public ReplicaNode(NodeSetup setup, ReplicaStore store) {
        this.setup = setup;
        this.store = store;
        this.index = setup.transport().self();
        this.subnetId = Hash.wrap(setup.genesis().subnetIdBytes());
        this.replica = store == null ? ReplicaStateMachine.fromGenesis(setup.genesis(), setup.canisters())
                : Recovery.initialReplica(setup.genesis(), setup.canisters(), store);
        this.schedule = replica.membershipSchedule();
        // the newest members this state knows: a replica that joined is among them (with its index)
        List<PublicKey> members = MembershipSchedule.keys(schedule.newest());
        if (index >= members.size() || !members.get(index).equals(setup.key().publicKey())) {
            throw new IllegalStateException("replica " + index + " (node " + setup.key().publicKey().nodeId()
                    + ") is not a member at height " + replica.height() + " of this subnet's registry (version "
                    + replica.registry().version() + ", or a change pending): it cannot run consensus");
        }
        OutcallCommittees committees = new ScheduleCommittees(() -> schedule);
        this.pluginCheck = new PluginCheck(index, setup.plugins());
        ConsensusTiming t = setup.timing();
        this.contexts = new ContextHistory(subnetId, 2L * t.ancestryDepth() + 2);
        contexts.start(replica.height(), replica.openContexts().values());
        OutcallManager[] manager = new OutcallManager[1];
        this.adversary = setup.scripted() ? new ScriptedAdversary(setup.key(), subnetId, members, setup.transport(),
                setup.scheduler(), setup.plugins(), () -> manager[0].openContexts(), contexts,
                cb -> manager[0].candidates(cb).stream().map(c -> c.share()).toList()) : null;
        Transport transport = adversary == null ? setup.transport() : adversary.tapped(setup.transport());
        this.ingress = new Ingress(replica, transport.channel(Ingress.CHANNEL), setup.clock(), Ingress.PoolLimits.DEFAULT);
        ItemValidator validator = new ItemValidator(subnetId, committees, setup.verifier());
        Consensus[] self = new Consensus[1];
        this.outcalls = new OutcallManager(index, subnetId, committees, setup.key(),
                transport.channel(OutcallPayloadSection.NAME), setup.scheduler(), setup.adapter(), setup.transforms(),
                setup.plugins(), setup.signing(), setup.verifier(), () -> self[0].workAvailable(),
                adversary == null ? null : adversary::contentForger);
        manager[0] = outcalls;
        PayloadSection outcallSection = new OutcallPayloadSection(validator, setup.plugins()::policy, outcalls,
                contexts, t.ancestryDepth());
        PayloadSection ingressSection = ingress.section();
        if (adversary != null) {
            outcallSection = adversary.scripted(outcallSection);
            ingressSection = adversary.scripted(ingressSection);
        }
        ConsensusConfig config = new ConsensusConfig(subnetId.bytes(), members, index, setup.key(), t.rankDelay(),
                t.heartbeat(), t.clockTolerance(), t.ancestryDepth(), setup.consensusFault());
        Membership membership = h -> schedule.keysAt(h, Membership.ACTIVATION_DELAY);
        this.consensus = new Consensus(config, transport.channel("consensus"),
                List.of(ingressSection, outcallSection), this::onFinalized, setup.clock(), setup.scheduler(), store,
                membership);
        self[0] = consensus;
        ingress.onNewMessage(consensus::workAvailable);
        this.announcer = new PluginAnnouncer(index, transport.channel(PluginAnnouncer.CHANNEL), setup.scheduler(),
                setup.plugins()::installed);
    }

    public void start() {
        if (store != null) {
            setup.scheduler().execute(this::replayStored); // before consensus resumes at the stored tip
        }
        outcalls.start();
        consensus.start();
        announcer.start();
    }

    public void stop() {
        announcer.stop();
        consensus.stop();
        outcalls.stop();
    }

    /**
     * {@code halted} (a local fault stopped execution), {@code waiting} (a canister the registry
     * installs is missing here), {@code degraded} (a plugin the registry enables is missing here:
     * it follows the subnet but cannot serve or check what needs it) or {@code up}.
     */
    public String state() {
        return replica.halted().isPresent() ? "halted" : waitingFor != null ? "waiting"
                : !missingPlugins().isEmpty() ? "degraded" : "up";
    }

    /** The plugins ({@code name@version}) replica {@code index} has installed: this one's own, others' as they announced; empty if unknown. */
    public Optional<List<String>> installedOn(int index) {
        return announcer.installedOn(index);
    }

    private void onFinalized(FinalizedBlock block) {
        unexecuted.addLast(block);
        executePending();
    }

    private void executePending() {
        while (!unexecuted.isEmpty()) {
            if (replica.halt().isPresent()) {
                halted();
                return;
            }
            FinalizedBlock next = unexecuted.peekFirst();
            ExecutionResult result;
            try {
                result = replica.execute(IngressPayload.executableBlock(next.block(), deliveries(next)));
            } catch (MissingCanisterException e) {
                if (waitingFor == null) {
                    LOG.error("replica {} stopped executing at height {}: {}. It resumes once the canister's bundle "
                            + "is installed.", index, next.height(), e.getMessage());
                }
                waitingFor = e.getMessage();
                retryLater();
                return;
            } catch (DecodeException e) {
                replica.haltAt(next.height(), "finalized block " + next.height() + " does not decode: " + e.getMessage());
                halted();
                return;
            } catch (RuntimeException | Error e) {
                // a local fault (out of memory, a host bug): the replica recorded it, or records it here
                replica.haltAt(next.height(), "execution of height " + next.height() + " failed: " + e);
                halted();
                return;
            }
            waitingFor = null;
            unexecuted.removeFirst();
            contexts.executed(result);
            ingress.executed(result);
            // before the outcalls: a block that applies a change opens its requests at the new
            // registry version, and their committees are read from this schedule
            renewMembership();
            if (result.height() > replayedUpTo) {
                outcalls.onExecuted(result);
            } else if (result.height() == replayedUpTo) {
                outcalls.resume(replica.openContexts().values()); // fetch again what is still open
            }
            checkPlugins();
            heightListeners.fire();
        }
    }

    /** After each block: the schedule consensus and outcalls read; listeners hear of a change. Protocol thread. */
    private void renewMembership() {
        MembershipSchedule before = schedule;
        MembershipSchedule now = replica.membershipSchedule();
        schedule = now;
        if (!now.current().equals(before.current()) || !now.pending().equals(before.pending())) {
            membershipListeners.forEach(l -> l.accept(now));
        }
    }

    /** Who the members are at each height, as this replica's executed state says. Any thread. */
    public MembershipSchedule membershipSchedule() {
        return schedule;
    }

    /**
     * Called on the protocol thread when a block records or applies a membership change (the
     * transport's pinning follows it).
     */
    public void onMembershipChange(Consumer<MembershipSchedule> listener) {
        membershipListeners.add(listener);
    }

    /**
     * The replica halted: it executes nothing more, so the blocks waiting here are dropped (they stay
     * in the chain and the store), and the reason is logged once; {@code GET /api/v1/subnet} shows it.
     * Consensus goes on: voting needs no executed state, and the others may need this replica's votes.
     */
    private void halted() {
        unexecuted.clear();
        if (!haltLogged) {
            haltLogged = true;
            replica.halt().ifPresent(h -> LOG.error("replica {} halted at height {}: {}. It executes nothing more until it"
                    + " is restarted.", index, h.height(), h.reason()));
        }
    }

    /**
     * After the first block and after each registry change: log the enabled plugins this replica
     * lacks. Not at start: plugin services are bound to the subnet just after it is created.
     * Protocol thread.
     */
    private void checkPlugins() {
        long version = replica.registry().version();
        if (version != checkedRegistryVersion) {
            checkedRegistryVersion = version;
            pluginCheck.check(replica.registry());
        }
    }

    /**
     * The plugins ({@code name@version}) that this replica's registry enables and that are not
     * installed here, sorted; logs each once when it starts to be missing. Any thread.
     */
    public java.util.SortedSet<String> missingPlugins() {
        return pluginCheck.check(replica.registry());
    }

    /**
     * Re-executes the stored finalized blocks above the restored checkpoint. The outcall manager
     * does not see them one by one (their contexts were fetched long ago, and most are closed):
     * after the last it resumes the contexts still open. Protocol thread.
     */
    private void replayStored() {
        long to = store.chainRange().map(r -> r[1]).orElse(0L);
        long from = replica.height() + 1;
        replayedUpTo = Math.max(to, replica.height());
        if (from > to) {
            outcalls.resume(replica.openContexts().values());
            return;
        }
        LOG.info("replica {}: re-executing the stored heights {}..{}", index, from, to);
        long h = from;
        String broken = null;
        while (h <= to && broken == null) {
            broken = queueStored(h);
            h = broken == null ? h + 1 : h;
        }
        executePending(); // the heights before a broken one still execute
        if (broken != null) {
            replica.haltAt(h, broken);
            halted();
        }
    }

    /** Queues a stored height for execution; returns why it cannot be, or null. */
    private String queueStored(long h) {
        ArchivedHeight a = store.archived(h);
        if (a == null) {
            return "stored height " + h + " is missing (pruned above the newest checkpoint?)";
        }
        try {
            FinalityProof proof = a.ownProof();
            unexecuted.addLast(new FinalizedBlock(a.block(), proof == null ? new byte[0] : proof.encode()));
            return null;
        } catch (DecodeException e) {
            return "stored height " + h + " does not decode: " + e.getMessage();
        }
    }

    private void retryLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            setup.scheduler().schedule(RETRY_HALTED, () -> {
                retryScheduled = false;
                executePending();
            });
        }
    }

    /** Deliveries of the block's outcall items whose context is open here with exactly the signed digest. */
    private List<OutcallDelivery> deliveries(FinalizedBlock block) throws DecodeException {
        byte[] payload = block.block().payloadOf(OutcallPayloadSection.NAME);
        List<OutcallDelivery> out = new ArrayList<>();
        for (DecidedOutcall d : OutcallPayloadSection.deliveries(payload)) {
            Optional<RequestContext> open = replica.openContext(d.callbackId());
            if (open.isEmpty() || !ContextInfos.of(subnetId, open.get()).digest().equals(d.contextDigest())) {
                LOG.debug("replica {}: ignoring a delivery for callback {}: no open context with the signed digest",
                        index, d.callbackId());
                continue;
            }
            if (d.response() != null) {
                out.add(OutcallDelivery.response(d.callbackId(), d.response(), d.certificate()));
            } else if (d.value() != null) {
                out.add(OutcallDelivery.value(d.callbackId(), d.value(), d.certificate()));
            } else {
                out.add(OutcallDelivery.reject(d.callbackId(), d.reject(), d.certificate()));
            }
        }
        return out;
    }

    public int index() {
        return index;
    }

    public Replica replica() {
        return replica;
    }

    public Ingress ingress() {
        return ingress;
    }

    public Consensus consensus() {
        return consensus;
    }

    public OutcallManager outcalls() {
        return outcalls;
    }

    /** What decides this replica's output, if it is a scripted faulty one. */
    public Optional<Adversary> adversary() {
        return Optional.ofNullable(adversary);
    }

    public AutoCloseable onHeight(Runnable listener) {
        return heightListeners.add(listener);
    }

    /** Why execution waits, if it does (a canister the registry installs is not installed here). */
    public Optional<String> waitingFor() {
        return Optional.ofNullable(waitingFor);
    }
}
