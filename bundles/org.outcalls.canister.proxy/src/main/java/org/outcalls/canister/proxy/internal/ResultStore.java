package org.outcalls.canister.proxy.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.outcalls.api.canister.KeyValueState;
import org.outcalls.canister.proxy.OutcallJson;

/**
 * The proxy's records in its state: {@code r/<id>} holds a record (pending, then final) under the
 * message id; {@code c/<callback>} maps an open callback to its message id and request bytes.
 * Every final record is indexed twice under one sequence number, in the order records became
 * final: {@code e/<seq>} for the retention (block time only grows, so that order is also expiry
 * order) and {@code o/<owner>/<seq>} for its owner's result quota (oldest first). A record is
 * dropped when its retention ended, or when its owner's kept results exceed the quota; dropping
 * touches only the owner's own results. Each call drops a bounded number, so it stays within a
 * canister call's write budget.
 */
final class ResultStore {
    /** Owner's results one call drops at most to get back within its quota (3 deletes each). */
    static final int MAX_DROPS_PER_CALL = 1_000;
    /** Expired results one call drops at most. */
    static final int MAX_PRUNES_PER_CALL = 256;
    private static final int SCAN_CHUNK = 64;

    private static final String RECORD = "r/";
    private static final String CALLBACK = "c/";
    private static final String EXPIRY = "e/";
    private static final String OWNED = "o/";
    private static final String NEXT_SEQUENCE = "m/seq";

    private final KeyValueState state;
    private final Accounts accounts;

    ResultStore(KeyValueState state, Accounts accounts) {
        this.state = state;
        this.accounts = accounts;
    }

    ResultStore(KeyValueState state) {
        this(state, new Accounts(state));
    }

    /** An open callback: the message it answers and the request bytes it holds in its owner's account. */
    record Open(String id, long requestBytes) {
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

    Open open(long callbackId) {
        return state.get(CALLBACK + States.sequenceKey(callbackId)).map(b -> {
            String[] parts = new String(b, StandardCharsets.US_ASCII).split(" ");
            return new Open(parts[0], Long.parseLong(parts[1]));
        }).orElse(null);
    }

    void putPending(String id, long callbackId, long requestBytes, ObjectNode record) {
        States.mutable(state).put(CALLBACK + States.sequenceKey(callbackId),
                (id + " " + requestBytes).getBytes(StandardCharsets.US_ASCII));
        States.mutable(state).put(RECORD + id, OutcallJson.bytes(record));
    }

    void forgetCallback(long callbackId) {
        States.mutable(state).delete(CALLBACK + States.sequenceKey(callbackId));
    }

    /**
     * Keeps a final record of {@code owner} until block time {@code expiresAt}, counts it to the
     * owner's result bytes, and drops the owner's oldest other results while it is over {@code maxResultBytes}.
     */
    void keep(String id, String owner, byte[] record, long expiresAt, long maxResultBytes) {
        var s = States.mutable(state);
        s.put(RECORD + id, record);
        long seq = state.get(NEXT_SEQUENCE).map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII))).orElse(0L);
        s.put(NEXT_SEQUENCE, Long.toString(seq + 1).getBytes(StandardCharsets.US_ASCII));
        String seqKey = States.sequenceKey(seq);
        s.put(EXPIRY + seqKey, (expiresAt + " " + owner + " " + id).getBytes(StandardCharsets.US_ASCII));
        s.put(OWNED + owner + "/" + seqKey, id.getBytes(StandardCharsets.US_ASCII));
        Account a = accounts.of(owner);
        accounts.put(owner, a.withResultBytes(Math.addExact(a.resultBytes(), record.length)));
        dropOldest(owner, maxResultBytes, id);
    }

    /** Drops results whose retention ended before {@code blockTime}, oldest first, at most {@link #MAX_PRUNES_PER_CALL}. */
    void pruneExpired(long blockTime) {
        List<Map.Entry<String, byte[]>> due = new ArrayList<>();
        state.scan(EXPIRY, null, MAX_PRUNES_PER_CALL, (k, v) -> due.add(Map.entry(k, v)));
        for (Map.Entry<String, byte[]> e : due) {
            String[] parts = new String(e.getValue(), StandardCharsets.US_ASCII).split(" ");
            if (Long.parseLong(parts[0]) >= blockTime) {
                return;
            }
            drop(parts[1], e.getKey().substring(EXPIRY.length()), parts[2]);
        }
    }

    private void dropOldest(String owner, long maxResultBytes, String keepId) {
        String prefix = OWNED + owner + "/";
        int dropped = 0;
        while (accounts.of(owner).resultBytes() > maxResultBytes && dropped < MAX_DROPS_PER_CALL) {
            List<Map.Entry<String, byte[]>> oldest = new ArrayList<>();
            state.scan(prefix, null, Math.min(SCAN_CHUNK, MAX_DROPS_PER_CALL - dropped), (k, v) -> oldest.add(Map.entry(k, v)));
            for (Map.Entry<String, byte[]> e : oldest) {
                String id = new String(e.getValue(), StandardCharsets.US_ASCII);
                if (id.equals(keepId) || accounts.of(owner).resultBytes() <= maxResultBytes) {
                    return; // the newest is last: everything older is gone, or the owner is within its quota
                }
                drop(owner, e.getKey().substring(prefix.length()), id);
                dropped++;
            }
            if (oldest.isEmpty()) {
                return;
            }
        }
    }

    private void drop(String owner, String seqKey, String id) {
        var s = States.mutable(state);
        long bytes = state.get(RECORD + id).map(b -> (long) b.length).orElse(0L);
        s.delete(RECORD + id);
        s.delete(EXPIRY + seqKey);
        s.delete(OWNED + owner + "/" + seqKey);
        Account a = accounts.of(owner);
        accounts.put(owner, a.withResultBytes(Math.max(0, a.resultBytes() - bytes)));
    }
}
