package org.outcalls.replica.internal.outcall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.outcalls.consensus.outcall.ShareBinding;
import org.outcalls.consensus.outcall.ItemMaker;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.Hash;

/**
 * One replica's validated shares, by callback id and signer, with their content where known.
 * Confined to the replica's protocol thread. Holds at most one share per signer and context (the
 * first; a replica that signs two different contents for one request gains nothing), and only for
 * contexts that are open here, so its size is bounded by the open contexts times n.
 */
final class ShareStore {
    private final Map<Long, TreeMap<Integer, Entry>> byContext = new TreeMap<>();

    /** A share and its content, if this replica has it. */
    static final class Entry {
        final SignedShare share;
        byte[] content;

        Entry(SignedShare share, byte[] content) {
            this.share = share;
            this.content = content;
        }
    }

    /** Adds a validated share; false if that signer already has one for the context. */
    boolean add(SignedShare share, byte[] content) {
        TreeMap<Integer, Entry> slot = byContext.computeIfAbsent(share.metadata().callbackId(), k -> new TreeMap<>());
        if (slot.containsKey(share.signer())) {
            Entry existing = slot.get(share.signer());
            if (existing.content == null && content != null && existing.share.equals(share)) {
                existing.content = content;
            }
            return false;
        }
        slot.put(share.signer(), new Entry(share, content));
        return true;
    }

    /** Attaches content to every share of the context that signed this hash; false if none matched. */
    boolean attachContent(long callbackId, Hash contentHash, byte[] content) {
        boolean attached = false;
        for (Entry e : byContext.getOrDefault(callbackId, new TreeMap<>()).values()) {
            if (e.content == null && e.share.metadata().contentHash().equals(contentHash)
                    && ShareBinding.contentMismatch(e.share.metadata(), content) == null) {
                e.content = content;
                attached = true;
            }
        }
        return attached;
    }

    List<ItemMaker.Candidate> candidates(long callbackId) {
        List<ItemMaker.Candidate> out = new ArrayList<>();
        for (Entry e : byContext.getOrDefault(callbackId, new TreeMap<>()).values()) {
            out.add(new ItemMaker.Candidate(e.share, e.content));
        }
        return out;
    }

    /** The content of any share of the context with this hash, or null. */
    byte[] content(long callbackId, Hash contentHash) {
        for (Entry e : byContext.getOrDefault(callbackId, new TreeMap<>()).values()) {
            if (e.content != null && e.share.metadata().contentHash().equals(contentHash)) {
                return e.content;
            }
        }
        return null;
    }

    /** This replica's own share for a context, or null. */
    Entry own(long callbackId, int self) {
        TreeMap<Integer, Entry> slot = byContext.get(callbackId);
        return slot == null ? null : slot.get(self);
    }

    int shareCount(long callbackId) {
        TreeMap<Integer, Entry> slot = byContext.get(callbackId);
        return slot == null ? 0 : slot.size();
    }

    /** Per content hash, how many shares (for status and the dashboard). */
    Map<Hash, Integer> countsByHash(long callbackId) {
        Map<Hash, Integer> counts = new TreeMap<>();
        for (Entry e : byContext.getOrDefault(callbackId, new TreeMap<>()).values()) {
            counts.merge(e.share.metadata().contentHash(), 1, Integer::sum);
        }
        return counts;
    }

    void remove(long callbackId) {
        byContext.remove(callbackId);
    }

    int contexts() {
        return byContext.size();
    }
}
