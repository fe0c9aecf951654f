package org.outcalls.replica.internal.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.Principals;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.internal.state.CanisterState;

/**
 * One canister call (an update or a callback) as a transaction: key-value writes, the cycles
 * balance, new request contexts and immediate rejects are kept here and reach replicated state
 * only through {@link BlockRun#commit}. A call that throws, or goes past its
 * {@link MessageBudget}, is simply dropped.
 */
final class CallTransaction implements CallContext {
    /** An {@code http_request} the management canister refused at the call. */
    record ImmediateReject(long callbackId, String canisterId, String messageId, String caller, long attached,
                           Reject reject, int depth) {
    }

    private final BlockRun block;
    private final CanisterState canister;
    private final MessageBudget budget = new MessageBudget();
    private final KeyValueViews.Transaction kv;
    private final String caller;
    private final String messageId;
    private final int depth;
    private final List<RequestContext> newContexts = new ArrayList<>();
    private final List<ImmediateReject> rejects = new ArrayList<>();
    private long balance;
    private long nextCallbackId;
    private boolean open = true;

    /**
     * @param depth 0 for an update or a delivered result; k for the callback of an immediate reject
     *              requested at depth k−1
     */
    CallTransaction(BlockRun block, CanisterState canister, String caller, String messageId, int depth) {
        this.block = block;
        this.canister = canister;
        this.kv = new KeyValueViews.Transaction(canister.kv(), budget);
        this.caller = caller;
        this.messageId = messageId;
        this.depth = depth;
        this.balance = canister.cycles();
        this.nextCallbackId = block.state().nextCallbackId();
    }

    @Override
    public String canisterId() {
        return canister.id();
    }

    @Override
    public MutableKeyValueState state() {
        checkOpen();
        return kv;
    }

    @Override
    public long blockTime() {
        return block.blockTime();
    }

    @Override
    public long height() {
        return block.height();
    }

    @Override
    public int subnetSize() {
        return block.state().registry().subnetSize();
    }

    @Override
    public long cyclesBalance() {
        return balance;
    }

    @Override
    public String caller() {
        return caller;
    }

    @Override
    public boolean callerIsAdmin() {
        for (PublicKey admin : block.state().registry().adminKeys()) {
            if (Principals.ofKey(admin).equals(caller)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String messageId() {
        return messageId;
    }

    @Override
    public long httpRequest(OutcallRequest request, long cycles) throws CanisterException {
        checkOpen();
        budget.outcall();
        Objects.requireNonNull(request, "request");
        if (cycles < 0) {
            throw new CanisterException("http_request: cycles must not be negative (was " + cycles + ")");
        }
        if (balance < cycles) {
            throw new CanisterException("http_request: canister '" + canister.id() + "' has " + balance
                    + " cycles, fewer than the " + cycles + " cycles attached");
        }
        HttpRequestCheck.Verdict verdict = HttpRequestCheck.check(request, cycles, block.state().registry());
        if (verdict.rejected().isEmpty()) {
            Optional<Reject> busy = ContextCapacity.check(block.state().contexts().size() + newContexts.size(),
                    block.state().registry().maxOpenContexts());
            if (busy.isPresent()) {
                verdict = new HttpRequestCheck.Verdict(busy.get(), 0, null, null);
            }
        }
        if (verdict.rejected().isPresent() && depth >= BlockRun.MAX_IMMEDIATE_REJECT_DEPTH) {
            throw new CanisterException("http_request: refused (" + verdict.reject().kind().wireName()
                    + ") from within the callback of " + BlockRun.MAX_IMMEDIATE_REJECT_DEPTH
                    + " nested refused requests; not calling back again in this block: " + verdict.reject().message());
        }
        balance -= cycles;
        long callbackId = nextCallbackId++;
        if (verdict.rejected().isPresent()) {
            rejects.add(new ImmediateReject(callbackId, canister.id(), messageId, caller, cycles, verdict.reject(),
                    depth + 1));
        } else {
            newContexts.add(new RequestContext(callbackId, canister.id(), request, block.blockTime(), block.height(),
                    block.blockHash(), request.policy(), verdict.policyVersion(), verdict.transformVersion(),
                    block.state().registry().version(),
                    cycles, verdict.fee(), messageId, caller));
        }
        return callbackId;
    }

    /** Ends the call: from now on the canister cannot use this context. */
    void close() {
        open = false;
    }

    MessageBudget budget() {
        return budget;
    }

    KeyValueViews.Transaction kv() {
        return kv;
    }

    long balance() {
        return balance;
    }

    long nextCallbackId() {
        return nextCallbackId;
    }

    List<RequestContext> newContexts() {
        return newContexts;
    }

    List<ImmediateReject> rejects() {
        return rejects;
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("this call context ended when the call returned");
        }
    }
}
