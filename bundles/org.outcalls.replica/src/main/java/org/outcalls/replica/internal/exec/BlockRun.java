package org.outcalls.replica.internal.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.outcalls.api.Cycles;
import org.outcalls.api.OutcallContext;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.canister.Canister;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.ExecutableBlock;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.MissingCanisterException;
import org.outcalls.replica.OutcallDelivery;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.internal.state.CanisterState;
import org.outcalls.replica.internal.state.ReplicatedState;

/**
 * Executes one finalized block on the replicated state, deterministically: the ingress messages in
 * block order, then the outcall deliveries in block order, then the timeouts by callback id. Each
 * canister call is a transaction; every result a canister gets is handed over exactly once.
 */
public final class BlockRun {
    /** How deep a chain of refused requests made from the callbacks of refused requests may go in one block. */
    static final int MAX_IMMEDIATE_REJECT_DEPTH = 16;

    private final ReplicatedState state;
    private final ExecutableBlock block;
    private final Map<String, Canister> canisters;
    private final List<IngressStatus> statuses = new ArrayList<>();
    private final List<RequestContext> created = new ArrayList<>();
    private final List<OutcallOutcome> outcomes = new ArrayList<>();
    private final List<Long> ignored = new ArrayList<>();
    private final ArrayDeque<CallTransaction.ImmediateReject> pending = new ArrayDeque<>();

    private BlockRun(ReplicatedState state, ExecutableBlock block, Map<String, Canister> canisters) {
        this.state = state;
        this.block = block;
        this.canisters = canisters;
    }

    /**
     * Executes {@code block} on {@code state}, which must be at the block's height − 1.
     *
     * @throws MissingCanisterException before any change, if an installed canister is not available locally
     */
    public static ExecutionResult execute(ReplicatedState state, ExecutableBlock block, CanisterResolver resolver) {
        if (block.height() != state.height() + 1) {
            throw new IllegalArgumentException("block height " + block.height() + " does not follow the state's height "
                    + state.height());
        }
        if (block.blockTime() < 0) {
            throw new IllegalArgumentException("block time: must not be negative (was " + block.blockTime() + ")");
        }
        return new BlockRun(state, block, resolve(state, resolver, block.height())).run();
    }

    /** Every installed canister, by id; refuses to start if one is missing. */
    static Map<String, Canister> resolve(ReplicatedState state, CanisterResolver resolver, long height) {
        TreeMap<String, Canister> found = new TreeMap<>();
        for (String id : state.registry().canisters().keySet()) {
            Optional<Canister> c = resolver.canister(id);
            if (c.isEmpty()) {
                throw new MissingCanisterException(id, height);
            }
            if (!id.equals(c.get().id())) {
                throw new IllegalStateException("the resolver returned canister '" + c.get().id() + "' for id '" + id
                        + "'");
            }
            found.put(id, c.get());
        }
        return found;
    }

    private ExecutionResult run() {
        state.advance(block.height(), block.blockTime());
        MemberChanges.applyDue(state); // consensus ran this height with the new members already
        state.forgetExpiredIngress(block.blockTime());
        for (IngressMessage m : block.ingress()) {
            statuses.add(executeIngress(m));
            drainImmediateRejects();
        }
        for (OutcallDelivery d : block.deliveries()) {
            deliver(d);
            drainImmediateRejects();
        }
        timeOut();
        List<RequestContext> stillOpen = new ArrayList<>();
        for (RequestContext c : created) {
            if (state.context(c.callbackId()) != null) {
                stillOpen.add(c);
            }
        }
        return new ExecutionResult(block.height(), block.blockTime(), state.hash(), state.registry().version(),
                statuses, stillOpen, outcomes, ignored);
    }

    // --- ingress

    private IngressStatus executeIngress(IngressMessage m) {
        String id = m.idHex();
        if (!m.verifySignature()) {
            return status(m, IngressStatus.State.INVALID, "the signature does not verify against the sender's key");
        }
        String wrongSubnet = m.wrongSubnet(state.subnetId());
        if (wrongSubnet != null) {
            return status(m, IngressStatus.State.INVALID, wrongSubnet);
        }
        if (m.isExpired(block.blockTime())) {
            return status(m, IngressStatus.State.EXPIRED, m.checkExpiry(block.blockTime()).orElseThrow());
        }
        Optional<String> expiry = m.checkExpiry(block.blockTime());
        if (expiry.isPresent()) {
            return status(m, IngressStatus.State.INVALID, expiry.get());
        }
        if (state.isExecuted(id)) {
            return status(m, IngressStatus.State.DUPLICATE, "message " + id + " was already executed");
        }
        state.recordExecuted(id, m.expiryMillis());
        if (ManagementCanister.ID.equals(m.canisterId())) {
            try {
                AdminMethods.execute(state, m);
                return status(m, IngressStatus.State.COMPLETED, "");
            } catch (AdminMethods.Refused e) {
                return status(m, IngressStatus.State.FAILED, e.getMessage());
            }
        }
        Canister canister = canisters.get(m.canisterId());
        if (canister == null) {
            return status(m, IngressStatus.State.FAILED, "canister '" + m.canisterId()
                    + "' is not installed on this subnet; installed: " + String.join(", ", canisters.keySet()));
        }
        CallTransaction tx = new CallTransaction(this, state.canister(m.canisterId()), m.caller(), id, 0);
        Optional<String> failure = run(m.canisterId(), tx, () -> canister.update(tx, m.method(), m.argument()));
        return failure.map(f -> status(m, IngressStatus.State.FAILED, f))
                .orElseGet(() -> status(m, IngressStatus.State.COMPLETED, ""));
    }

    /** A canister's update or callback. */
    @FunctionalInterface
    private interface Call {
        void run() throws CanisterException;
    }

    /**
     * Runs one canister call as a transaction: committed if it returns within its
     * {@link MessageBudget}, else dropped whole. A refusal, any exception, a
     * {@link StackOverflowError} or an {@link AssertionError} the canister raises — the same on
     * every replica — is the caller's failure and the block goes on. Every other error
     * ({@link OutOfMemoryError}, a class that cannot be loaded) is this replica's own fault: it
     * propagates, and the replica halts saying why.
     *
     * @return why the call failed, or empty if it was committed
     */
    private Optional<String> run(String canisterId, CallTransaction tx, Call call) {
        String failure;
        try {
            call.run();
            failure = tx.budget().trap().map(t -> "canister " + canisterId + " trapped: " + t).orElse(null);
        } catch (CanisterException e) {
            failure = tx.budget().trap().map(t -> "canister " + canisterId + " trapped: " + t)
                    .orElseGet(() -> "canister " + canisterId + " refused: " + Traps.message(e));
        } catch (Exception | StackOverflowError | AssertionError e) {
            failure = "canister " + canisterId + " trapped: " + tx.budget().trap().orElseGet(() -> Traps.describe(e));
        } finally {
            tx.close();
        }
        if (failure != null) {
            return Optional.of(failure);
        }
        commit(tx);
        return Optional.empty();
    }

    private IngressStatus status(IngressMessage m, IngressStatus.State s, String message) {
        return new IngressStatus(m.idHex(), m.canisterId(), m.method(), s, message, block.height());
    }

    // --- results

    private void deliver(OutcallDelivery d) {
        RequestContext c = state.removeContext(d.callbackId());
        if (c == null) {
            ignored.add(d.callbackId());
            return;
        }
        Cycles cycles = refund(c.canisterId(), c.attachedCycles(), c.chargedCycles());
        OutcallResult result;
        if (d.response().isPresent()) {
            result = OutcallResult.completed(c.callbackId(), d.response().get(), cycles, d.certificate());
        } else if (d.value().isPresent()) {
            result = OutcallResult.aggregated(c.callbackId(), d.value().get(), cycles, d.certificate());
        } else {
            result = OutcallResult.rejected(c.callbackId(), d.reject().orElseThrow(), cycles, d.certificate());
        }
        callBack(c.canisterId(), c.messageId(), c.caller(), 0, result.withContext(contextOf(c)),
                OutcallOutcome.How.DELIVERED);
    }

    private void timeOut() {
        long timeout = state.registry().consensusTimeoutMillis();
        long now = block.blockTime();
        List<RequestContext> expired = new ArrayList<>();
        for (RequestContext c : state.contexts().values()) {
            // request time + timeout < block time, without overflow (both times are non-negative)
            if (now - c.requestTime() > timeout) {
                expired.add(c);
            }
        }
        for (RequestContext c : expired) {
            state.removeContext(c.callbackId());
            Cycles cycles = refund(c.canisterId(), c.attachedCycles(), c.chargedCycles());
            Reject reject = Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.TIMEOUT, "no agreed response within "
                    + timeout + " ms (request time " + c.requestTime() + ", block time " + now + ")");
            callBack(c.canisterId(), c.messageId(), c.caller(), 0,
                    OutcallResult.rejected(c.callbackId(), reject, cycles, new byte[0]).withContext(contextOf(c)),
                    OutcallOutcome.How.TIMED_OUT);
            drainImmediateRejects();
        }
    }

    private void drainImmediateRejects() {
        while (!pending.isEmpty()) {
            CallTransaction.ImmediateReject r = pending.removeFirst();
            Cycles cycles = refund(r.canisterId(), r.attached(), 0);
            callBack(r.canisterId(), r.messageId(), r.caller(), r.depth(),
                    OutcallResult.rejected(r.callbackId(), r.reject(), cycles, new byte[0]),
                    OutcallOutcome.How.REJECTED_AT_CALL);
        }
    }

    /** The facts of a request context that a result's shares are bound to, for the canister's callback. */
    private OutcallContext contextOf(RequestContext c) {
        return new OutcallContext(state.subnetId(), c.callbackId(), c.canisterId(), c.request(), c.attachedCycles(),
                c.chargedCycles(), c.requestTime(), c.policyVersion(), c.transformVersion(), c.registryVersion(),
                HexFormat.of().formatHex(c.blockHash()));
    }

    /** Returns {@code attached − charged} to the canister's balance now, outside any call's transaction. */
    private Cycles refund(String canisterId, long attached, long charged) {
        long refund = attached - charged;
        CanisterState c = state.canister(canisterId);
        state.setCycles(canisterId, Math.addExact(c.cycles(), refund));
        return new Cycles(attached, charged, refund);
    }

    private void callBack(String canisterId, String messageId, String caller, int depth, OutcallResult result,
                          OutcallOutcome.How how) {
        Canister canister = canisters.get(canisterId);
        if (canister == null) {
            throw new IllegalStateException("request context of canister '" + canisterId
                    + "', which is not installed");
        }
        CallTransaction tx = new CallTransaction(this, state.canister(canisterId), caller, messageId, depth);
        Optional<String> failure = run(canisterId, tx, () -> canister.onOutcallResult(tx, result));
        outcomes.add(new OutcallOutcome(canisterId, messageId, result, how, failure));
    }

    /** Applies a call's changes to replicated state. */
    private void commit(CallTransaction tx) {
        String id = tx.canisterId();
        tx.kv().commit();
        state.setCycles(id, tx.balance());
        for (RequestContext c : tx.newContexts()) {
            state.addContext(c);
            created.add(c);
        }
        state.setNextCallbackId(tx.nextCallbackId());
        pending.addAll(tx.rejects());
    }

    // --- what calls see

    ReplicatedState state() {
        return state;
    }

    long height() {
        return block.height();
    }

    long blockTime() {
        return block.blockTime();
    }

    byte[] blockHash() {
        return block.blockHash();
    }
}
