package org.outcalls.replica.internal.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.ExecutableBlock;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.IngressAdmission;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.Replica;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's ingress: the pool of messages waiting for a block, fed by the local gateway
 * ({@link #submit}) and by peers over the {@value #CHANNEL} channel; the {@code ingress} payload
 * section consensus builds and validates blocks with; and the purge after each executed block.
 * What the local gateway submits passes the {@link IngressGate} first: at the high-water mark
 * (pooled messages plus open request contexts reaching the {@link AdmissionWindow}, which follows
 * how fast the subnet decides, within the registry's bound on open contexts), or over the caller's
 * share of it (counted in the contexts its calls hold open), a submission is refused as busy before
 * it costs a signature check.
 * Thread-safe.
 */
public final class Ingress {
    /** The transport channel ingress messages are gossiped on. */
    public static final String CHANNEL = "ingress";
    private static final Logger LOG = LoggerFactory.getLogger(Ingress.class);

    /** Bounds of the pool: in total, and per peer for gossiped messages. */
    public record PoolLimits(int maxMessages, long maxBytes, int maxPerPeerMessages, long maxPerPeerBytes) {
        public static final PoolLimits DEFAULT = new PoolLimits(20_000, 64L << 20, 5_000, 16L << 20);

        public PoolLimits {
            if (maxMessages < 1 || maxBytes < IngressMessage.MAX_ENCODED_BYTES || maxPerPeerMessages < 1
                    || maxPerPeerBytes < IngressMessage.MAX_ENCODED_BYTES) {
                throw new IllegalArgumentException("pool limits: counts must be positive and byte bounds at least "
                        + IngressMessage.MAX_ENCODED_BYTES + " (one message)");
            }
        }
    }

    private static IngressAdmission refusedBusy(String id, IngressGate.Refusal r) {
        return new IngressAdmission(r.callerShare() ? IngressAdmission.State.CALLER_OVER_SHARE
                : IngressAdmission.State.SUBNET_BUSY, id, r.message());
    }

    private final Replica replica;
    private final IngressPool pool;
    private final AdmissionWindow window;
    private final IngressGate gate = new IngressGate();
    private final IngressSection section;
    private final Channel channel;
    private final Clock clock;
    private volatile Runnable onNewMessage = () -> { };

    /**
     * @param replica the replica whose executed messages are not pooled or proposed again
     * @param channel this replica's {@value #CHANNEL} channel (its receiver is set here); null: no gossip
     * @param clock   the local clock, for the pool's expiry check (never used in validation)
     */
    public Ingress(Replica replica, Channel channel, Clock clock, PoolLimits limits) {
        this.replica = Objects.requireNonNull(replica, "replica");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pool = new IngressPool(Objects.requireNonNull(limits, "limits"), replica.subnetId(), replica::isExecuted);
        this.window = new AdmissionWindow(replica.height(), replica.openContexts().values(), replica.registry().maxOpenContexts());
        this.section = new IngressSection(pool, window, replica::isExecuted, this::nowMillis);
        this.channel = channel;
        if (channel != null) {
            channel.receiver(this::onFrame);
        }
    }

    /**
     * Called (on any thread) whenever a message enters the pool, from the gateway or from a peer: the
     * block maker has work. Without it a replica learns of a gossiped message only at its next
     * wake-up, and a block waits for a worse-ranked maker's delay or the heartbeat.
     */
    public void onNewMessage(Runnable listener) {
        this.onNewMessage = Objects.requireNonNull(listener, "listener");
    }

    /** Admits a message from this replica's gateway, as its sender's, and gossips it to the peers. */
    public IngressAdmission submit(IngressMessage m) {
        return submit(m, m.caller());
    }

    /**
     * Admits a message from this replica's gateway and gossips it to the peers.
     *
     * @param caller who it counts against in the gate: the sender principal, or the remote address
     *               of a call the gateway signed on its behalf
     */
    public IngressAdmission submit(IngressMessage m, String caller) {
        Optional<IngressAdmission> busy = busy(m.idHex(), caller);
        if (busy.isPresent()) {
            return busy.get();
        }
        IngressAdmission a = pool.add(m, IngressPool.LOCAL, nowMillis());
        if (a.state() == IngressAdmission.State.ACCEPTED) {
            gate.admitted(a.messageId(), caller);
            if (channel != null) {
                channel.broadcast(m.encode());
            }
            onNewMessage.run();
        }
        return a;
    }

    /** Admits an encoded message from this replica's gateway, as its sender's. */
    public IngressAdmission submit(byte[] encoded) {
        try {
            return submit(IngressMessage.decode(encoded));
        } catch (DecodeException e) {
            return IngressAdmission.rejected("", "malformed ingress message: " + e.getMessage());
        }
    }

    /**
     * Whether the gate refuses a submission of {@code caller} now: asked before signing a message
     * on a caller's behalf, so a refusal costs no signature. Empty: it would be let in.
     */
    public Optional<IngressAdmission> busy(String caller) {
        return busy("", caller);
    }

    private Optional<IngressAdmission> busy(String id, String caller) {
        IngressGate.Refusal r = gate.check(caller, pool.size(), window.open(), window.window(), window.limit());
        return r == null ? Optional.empty() : Optional.of(refusedBusy(id, r));
    }

    /** The {@code ingress} payload section, for consensus. */
    public PayloadSection section() {
        return section;
    }

    /**
     * Forgets the messages a block executed or dropped, and those expired at its time; takes the
     * open contexts after it; wakes the block maker when room for contexts opened again.
     */
    public void executed(ExecutionResult result) {
        boolean wasFull = window.room() == 0;
        window.executed(result, replica.openContexts().values(), replica.registry().maxOpenContexts());
        List<String> done = new ArrayList<>(result.ingress().size());
        result.ingress().forEach(s -> done.add(s.messageId()));
        pool.purge(done, result.blockTime());
        gate.executed(result, pool::contains);
        if (wasFull && window.room() > 0 && !pool.isEmpty()) {
            onNewMessage.run();
        }
    }

    /** What the gate counts for {@code caller} now: its pooled messages and the request contexts they opened that are open. */
    public int heldFor(String caller) {
        return gate.held(caller);
    }

    /** Messages waiting for a block. */
    public int pooled() {
        return pool.size();
    }

    public boolean isPooled(String messageIdHex) {
        return pool.contains(messageIdHex);
    }

    private void onFrame(int peer, byte[] frame) {
        try {
            IngressAdmission a = pool.add(IngressMessage.decode(frame), peer, nowMillis());
            if (a.state() == IngressAdmission.State.REJECTED) {
                LOG.debug("ingress from peer {} refused: {}", peer, a.message());
            } else if (a.state() == IngressAdmission.State.ACCEPTED) {
                onNewMessage.run();
            }
        } catch (DecodeException e) {
            LOG.debug("malformed ingress frame from peer {}: {}", peer, e.getMessage());
        }
    }

    private long nowMillis() {
        return ExecutableBlock.millis(clock.nanos());
    }
}
