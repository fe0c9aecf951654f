package org.outcalls.canister.proxy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.outcalls.api.Fees;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.canister.CallContext;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.MutableKeyValueState;

/** A minimal host for the proxy's unit tests: a sorted map, a balance, recorded outcalls. */
final class InMemoryHost implements CallContext, MutableKeyValueState {
    static final String ALICE = "a".repeat(64);
    static final String BOB = "b".repeat(64);
    static final String ADMIN = "0".repeat(64);
    final TreeMap<String, byte[]> entries = new TreeMap<>();
    final List<OutcallRequest> requests = new ArrayList<>();
    long balance;
    long height = 1;
    String messageId = "m1";
    String caller = ALICE;
    boolean admin;
    long blockTime = 1_000;
    private long nextCallback = 1;

    InMemoryHost(long balance) {
        this.balance = balance;
    }

    @Override
    public MutableKeyValueState state() {
        return this;
    }

    @Override
    public String caller() {
        return caller;
    }

    @Override
    public boolean callerIsAdmin() {
        return admin;
    }

    @Override
    public String messageId() {
        return messageId;
    }

    @Override
    public long httpRequest(OutcallRequest request, long cycles) throws CanisterException {
        if (cycles > balance) {
            throw new CanisterException("balance " + balance + " is less than " + cycles + " cycles attached");
        }
        balance -= cycles;
        requests.add(request);
        return nextCallback++;
    }

    @Override
    public String canisterId() {
        return "proxy";
    }

    @Override
    public long blockTime() {
        return blockTime;
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public int subnetSize() {
        return 4;
    }

    @Override
    public long cyclesBalance() {
        return balance;
    }

    long fee(OutcallRequest r) {
        return Fees.httpRequestFee(4, r);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void scan(String prefix, String afterKey, int limit, BiConsumer<String, byte[]> visitor) {
        int n = 0;
        for (Map.Entry<String, byte[]> e : entries.tailMap(afterKey == null ? prefix : afterKey, afterKey == null).entrySet()) {
            if (!e.getKey().startsWith(prefix) || n++ >= limit) {
                break;
            }
            visitor.accept(e.getKey(), e.getValue());
        }
    }

    @Override
    public long size() {
        return entries.size();
    }

    @Override
    public void put(String key, byte[] value) {
        entries.put(key, value.clone());
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }
}
