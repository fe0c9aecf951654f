package org.outcalls.canister.proxy.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.outcalls.api.canister.KeyValueState;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.canister.proxy.OutcallJson;

/**
 * The proxy's state layout: {@code r/<id>} holds a result record, {@code c/<callback>} maps an
 * open callback to its request id, {@code s/<seq>} orders records by arrival so the oldest are
 * dropped once more than {@link #MAX_RECORDS} are kept.
 */
final class ResultStore {
    /** Results kept; the oldest go first. Bounded so a busy subnet's state does not grow forever. */
    static final long MAX_RECORDS = 100_000;

    private static final String RECORD = "r/";
    private static final String CALLBACK = "c/";
    private static final String SEQUENCE = "s/";
    private static final String NEXT_SEQUENCE = "m/next";
    private static final String FIRST_SEQUENCE = "m/first";

    private final KeyValueState state;

    ResultStore(KeyValueState state) {
        this.state = state;
    }

    boolean contains(String id) {
        return state.get(RECORD + id).isPresent();
    }

    byte[] recordBytes(String id) {
        return state.get(RECORD + id).orElse(null);
    }

    ObjectNode record(String id) {
        byte[] bytes = recordBytes(id);
        return bytes == null ? null : OutcallJson.readObject(bytes);
    }

    String requestOf(long callbackId) {
        return state.get(callbackKey(callbackId)).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
    }

    void putPending(String id, long callbackId, ObjectNode record) {
        mutable().put(callbackKey(callbackId), id.getBytes(StandardCharsets.UTF_8));
        putFinal(id, record);
    }

    /** Stores a new record and drops the oldest beyond the bound. */
    void putFinal(String id, ObjectNode record) {
        MutableKeyValueState s = mutable();
        s.put(RECORD + id, OutcallJson.bytes(record));
        long next = number(NEXT_SEQUENCE);
        s.put(SEQUENCE + sequenceKey(next), id.getBytes(StandardCharsets.UTF_8));
        s.put(NEXT_SEQUENCE, Long.toString(next + 1).getBytes(StandardCharsets.US_ASCII));
        long first = number(FIRST_SEQUENCE);
        while (next + 1 - first > MAX_RECORDS) {
            String key = SEQUENCE + sequenceKey(first);
            state.get(key).ifPresent(old -> s.delete(RECORD + new String(old, StandardCharsets.UTF_8)));
            s.delete(key);
            first++;
        }
        s.put(FIRST_SEQUENCE, Long.toString(first).getBytes(StandardCharsets.US_ASCII));
    }

    /** Replaces a pending record with its result and forgets the callback. */
    void complete(String id, long callbackId, ObjectNode record) {
        MutableKeyValueState s = mutable();
        s.put(RECORD + id, OutcallJson.bytes(record));
        s.delete(callbackKey(callbackId));
    }

    private long number(String key) {
        return state.get(key).map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII))).orElse(0L);
    }

    private MutableKeyValueState mutable() {
        if (state instanceof MutableKeyValueState m) {
            return m;
        }
        throw new IllegalStateException("the proxy's state is read-only in a query");
    }

    private static String callbackKey(long callbackId) {
        return CALLBACK + sequenceKey(callbackId);
    }

    /** Zero-padded so keys sort numerically. */
    private static String sequenceKey(long n) {
        return String.format(java.util.Locale.ROOT, "%020d", n);
    }

}
