package org.outcalls.replica.internal.state;

import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.replica.Domains;
import org.outcalls.replica.internal.codec.Sha256;

/** One canister in replicated state: its sorted key-value state and its cycles balance. */
public final class CanisterState {
    private final String id;
    private final HashedMap kv = new HashedMap("kv");
    private long cycles;

    CanisterState(String id, long cycles) {
        this.id = id;
        this.cycles = cycles;
    }

    public String id() {
        return id;
    }

    public long cycles() {
        return cycles;
    }

    /** The key-value state; change it only through {@link ReplicatedState#mutableCanister}. */
    public HashedMap kv() {
        return kv;
    }

    void setCycles(long cycles) {
        if (cycles < 0) {
            throw new IllegalStateException("canister " + id + ": cycles balance would become negative (" + cycles + ")");
        }
        this.cycles = cycles;
    }

    byte[] hash() {
        return Sha256.hash(Domains.CANISTER, new CanonicalWriter(128).string(id).i64(cycles).fixed(kv.rootHash())
                .toByteArray());
    }
}
