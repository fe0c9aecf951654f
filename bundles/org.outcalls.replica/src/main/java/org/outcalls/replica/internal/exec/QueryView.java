package org.outcalls.replica.internal.exec;

import org.outcalls.api.canister.KeyValueState;
import org.outcalls.api.canister.QueryContext;
import org.outcalls.replica.internal.state.CanisterState;
import org.outcalls.replica.internal.state.ReplicatedState;

/** What a query sees: the canister's state at the latest executed height, read-only. */
public final class QueryView implements QueryContext {
    private final ReplicatedState state;
    private final CanisterState canister;
    private final KeyValueState kv;

    public QueryView(ReplicatedState state, CanisterState canister) {
        this.state = state;
        this.canister = canister;
        this.kv = new KeyValueViews.ReadOnly(canister.kv());
    }

    @Override
    public String canisterId() {
        return canister.id();
    }

    @Override
    public KeyValueState state() {
        return kv;
    }

    @Override
    public long blockTime() {
        return state.blockTime();
    }

    @Override
    public long height() {
        return state.height();
    }

    @Override
    public int subnetSize() {
        return state.registry().subnetSize();
    }

    @Override
    public long cyclesBalance() {
        return canister.cycles();
    }
}
