package org.outcalls.replica.internal.outcall;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.ReplicatedContexts;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.RequestContext;

/**
 * The request contexts of replicated state over the last heights, as payload validation needs them:
 * each context's facts with the heights that created and closed it. Fed with every executed block
 * in height order (so it depends only on the finalized chain); closed contexts are forgotten
 * {@code retention} heights after they closed. Protocol thread only.
 */
public final class ContextHistory implements ReplicatedContexts {
    private final Hash subnetId;
    private final long retention;
    private final TreeMap<Long, Entry> byCallback = new TreeMap<>();
    /** Closed contexts by closing height, for forgetting them in order. */
    private final TreeMap<Long, java.util.List<Long>> closedAt = new TreeMap<>();
    private long executed = -1;
    private long startHeight;

    private static final class Entry {
        final OutcallContextInfo info;
        final long created;
        long closed = Long.MAX_VALUE;

        Entry(OutcallContextInfo info, long created) {
            this.info = info;
            this.created = created;
        }
    }

    /**
     * @param retention how many heights a closed context stays answerable; more than the ancestry
     *                  window, so any state height a valid payload may claim is still known
     */
    public ContextHistory(Hash subnetId, long retention) {
        if (retention < 1) {
            throw new IllegalArgumentException("retention: must be at least 1 (was " + retention + ")");
        }
        this.subnetId = subnetId;
        this.retention = retention;
    }

    /** Starts from a state at {@code height} (genesis, or a restored checkpoint) with its open contexts. */
    public void start(long height, Iterable<RequestContext> open) {
        byCallback.clear();
        closedAt.clear();
        startHeight = height;
        executed = height;
        for (RequestContext rc : open) {
            byCallback.put(rc.callbackId(), new Entry(ContextInfos.of(subnetId, rc), rc.height()));
        }
    }

    /** Records one executed block: the contexts it closed and those it created. */
    public void executed(ExecutionResult result) {
        long h = result.height();
        if (h != executed + 1) {
            throw new IllegalStateException("executed height " + h + " after " + executed + ": heights must follow each other");
        }
        for (OutcallOutcome o : result.outcomes()) {
            Entry e = byCallback.get(o.callbackId());
            if (e != null && e.closed == Long.MAX_VALUE) {
                e.closed = h;
                closedAt.computeIfAbsent(h, k -> new java.util.ArrayList<>()).add(o.callbackId());
            }
        }
        for (RequestContext rc : result.createdContexts()) {
            byCallback.put(rc.callbackId(), new Entry(ContextInfos.of(subnetId, rc), h));
        }
        executed = h;
        forgetBefore(h - retention);
    }

    private void forgetBefore(long height) {
        Iterator<Map.Entry<Long, java.util.List<Long>>> it = closedAt.headMap(height).entrySet().iterator();
        while (it.hasNext()) {
            for (Long cb : it.next().getValue()) {
                byCallback.remove(cb);
            }
            it.remove();
        }
    }

    @Override
    public long executedHeight() {
        return executed;
    }

    @Override
    public long oldestHeight() {
        return Math.max(startHeight, executed - retention);
    }

    @Override
    public Optional<OutcallContextInfo> openAt(long callbackId, long height) {
        if (height < oldestHeight() || height > executed) {
            throw new IllegalArgumentException("height " + height + " is not within " + oldestHeight() + ".." + executed);
        }
        Entry e = byCallback.get(callbackId);
        return e != null && e.created <= height && e.closed > height ? Optional.of(e.info) : Optional.empty();
    }

    @Override
    public long createdHeight(long callbackId) {
        Entry e = byCallback.get(callbackId);
        return e == null ? -1 : e.created;
    }

    /** How many contexts are remembered (open and recently closed). */
    public int size() {
        return byCallback.size();
    }
}
