package org.outcalls.replica.internal.outcall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectKind;
import org.outcalls.consensus.outcall.ItemMaker;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.internal.diag.LatencyHistogram;

/**
 * One replica's local record of how its outcalls ended: counts by status and kind, end-to-end
 * latency, the latest outcomes, and for each no-consensus the groups of contents and the fields
 * that differed (computed from the contents this replica held when the result was delivered).
 * Written on the protocol thread, read from any thread; nothing here affects replicated execution.
 */
public final class OutcallDiagnostics {
    private final Map<String, Map<String, Long>> outcomes = new TreeMap<>();
    private final LatencyHistogram endToEnd = new LatencyHistogram();
    private final ArrayDeque<Diagnostics.Recent> recent = new ArrayDeque<>();
    private final ArrayDeque<Diagnostics.NoConsensus> noConsensus = new ArrayDeque<>();

    /**
     * An outcome delivered in the block at {@code height}; {@code info} and {@code openedNanos} are
     * null and -1 when no context was open here (a reject at call time).
     */
    void ended(OutcallOutcome o, long height, OutcallContextInfo info, long openedNanos,
               List<ItemMaker.Candidate> candidates) {
        long now = System.nanoTime();
        OutcallResult r = o.result();
        String status = r.isReject() ? "rejected" : "completed";
        String kind = r.reject().map(j -> j.kind().wireName()).orElse("ok");
        String url = info == null ? "" : info.request().url();
        double seconds = openedNanos < 0 ? 0 : (now - openedNanos) / 1e9;
        Diagnostics.NoConsensus divergent = null;
        if (o.how() == OutcallOutcome.How.DELIVERED && r.reject().map(Reject::kind).orElse(null) == RejectKind.NO_CONSENSUS) {
            List<Diagnostics.ShareGroup> groups = new ArrayList<>();
            List<OutcallCodec.Content> contents = new ArrayList<>();
            groups(candidates, groups, contents);
            divergent = new Diagnostics.NoConsensus(o.callbackId(), o.messageId(), url, height, System.currentTimeMillis(),
                    r.reject().get().message(), groups, ContentDiff.of(contents));
        }
        synchronized (this) {
            outcomes.computeIfAbsent(status, k -> new TreeMap<>()).merge(kind, 1L, Long::sum);
            if (openedNanos >= 0) {
                endToEnd.observeNanos(now - openedNanos);
            }
            recent.addFirst(new Diagnostics.Recent(o.callbackId(), o.messageId(), url, status, kind, height,
                    System.currentTimeMillis(), seconds));
            while (recent.size() > Diagnostics.RECENT_OUTCALLS) {
                recent.removeLast();
            }
            if (divergent != null) {
                noConsensus.addFirst(divergent);
                while (noConsensus.size() > Diagnostics.RECENT_NO_CONSENSUS) {
                    noConsensus.removeLast();
                }
            }
        }
    }

    /** Shares grouped by content hash, largest group first; contents decoded where held. */
    static void groups(List<ItemMaker.Candidate> candidates, List<Diagnostics.ShareGroup> groups,
                       List<OutcallCodec.Content> contents) {
        Map<Hash, List<ItemMaker.Candidate>> byHash = new TreeMap<>();
        for (ItemMaker.Candidate c : candidates) {
            byHash.computeIfAbsent(c.share().metadata().contentHash(), h -> new ArrayList<>()).add(c);
        }
        List<Map.Entry<Hash, List<ItemMaker.Candidate>>> sorted = new ArrayList<>(byHash.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<Hash, List<ItemMaker.Candidate>> e) -> -e.getValue().size())
                .thenComparing(e -> e.getValue().get(0).share().signer()));
        for (Map.Entry<Hash, List<ItemMaker.Candidate>> e : sorted) {
            OutcallCodec.Content content = null;
            List<Integer> signers = new ArrayList<>();
            for (ItemMaker.Candidate c : e.getValue()) {
                signers.add(c.share().signer());
                if (content == null && c.content() != null) {
                    content = decode(c.content());
                }
            }
            contents.add(content);
            groups.add(new Diagnostics.ShareGroup(e.getKey().hex(), signers.size(), signers, ContentDiff.summary(content)));
        }
    }

    private static OutcallCodec.Content decode(byte[] content) {
        try {
            return OutcallCodec.decode(content);
        } catch (DecodeException e) {
            return null;
        }
    }

    public synchronized Map<String, Map<String, Long>> outcomes() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        return copy;
    }

    public Diagnostics.Histogram endToEnd() {
        return endToEnd.snapshot();
    }

    public synchronized List<Diagnostics.Recent> recent() {
        return List.copyOf(recent);
    }

    public synchronized List<Diagnostics.NoConsensus> noConsensus() {
        return List.copyOf(noConsensus);
    }
}
