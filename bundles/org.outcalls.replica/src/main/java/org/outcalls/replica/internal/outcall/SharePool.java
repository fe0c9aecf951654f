package org.outcalls.replica.internal.outcall;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.outcalls.consensus.outcall.ItemMaker;
import org.outcalls.consensus.outcall.ShareBinding;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.Hash;
import org.outcalls.pool.Admission;
import org.outcalls.pool.ArtifactPool;
import org.outcalls.pool.PoolLimits;

/**
 * One replica's outcall shares in the artifact pool: shares for requests not open here yet wait in
 * the unvalidated section within each peer's quota (a peer may run ahead, or lie); shares checked
 * against their open request sit in the validated section, at most one per signer and request
 * (the first: a replica that signs two contents for one request gains nothing), until the request
 * closes. Confined to the replica's protocol thread.
 */
final class SharePool {
    /**
     * Per peer: 4096 shares and 8 MiB waiting for requests not open here (contents up to 4 KiB travel
     * inline); requests up to 2^20 callback ids ahead of the lowest one still relevant.
     */
    static final PoolLimits LIMITS = new PoolLimits(4096, 8L << 20, 1L << 20, 1 << 22, 0);

    private final ArtifactPool<OutcallShare> pool;
    /**
     * The pool's validated section again, by request and signer index: every arriving share asks
     * for its signer's held one, and a scan of the request's shares made that O(n) per share, O(n²)
     * per request. Written only beside the pool's own writes, so both hold the same shares.
     */
    private final TreeMap<Long, OutcallShare[]> bySigner = new TreeMap<>();

    /** Peer indices a pool keeps apart: members come and go, and a member keeps its index (at most 64). */
    static final int PEER_CAPACITY = 64;

    SharePool() {
        this(PEER_CAPACITY);
    }

    SharePool(int members) {
        this.pool = new ArtifactPool<>(members, LIMITS);
    }

    /** Keeps a peer's share for a request not open here yet; false if over its quota, a duplicate or out of the window. */
    boolean keepEarly(int peer, SignedShare share, byte[] content) {
        return pool.offer(peer, OutcallShare.of(share, content)) == Admission.ADMITTED;
    }

    /** The early shares kept for a request that just opened here, taken out of the unvalidated section. */
    List<OutcallShare> takeEarly(long callbackId) {
        List<OutcallShare> out = new ArrayList<>();
        for (ArtifactPool.Unvalidated<OutcallShare> u : pool.unvalidatedAt(callbackId)) {
            out.add(u.artifact());
            pool.drop(u);
        }
        return out;
    }

    /** Adds a checked share; false if its signer already has one for the request (a content is attached if new). */
    boolean add(SignedShare share, byte[] content) {
        long callbackId = share.metadata().callbackId();
        int signer = share.signer(); // a peer's is its own index (checked on admission), within the committee
        OutcallShare held = of(callbackId, signer);
        if (held != null) {
            if (held.content() == null && content != null && sameSigned(held.share(), share)) {
                replace(held.withContent(content));
            }
            return false;
        }
        OutcallShare added = OutcallShare.of(share, content);
        if (!pool.addValidated(added)) {
            return false;
        }
        OutcallShare[] slots = bySigner.get(callbackId);
        if (slots == null || slots.length <= signer) {
            slots = slots == null ? new OutcallShare[Math.max(signer + 1, 4)]
                    : Arrays.copyOf(slots, Math.max(signer + 1, slots.length * 2));
            bySigner.put(callbackId, slots);
        }
        slots[signer] = added;
        return true;
    }

    private boolean replace(OutcallShare known) {
        if (!pool.replaceValidated(known)) {
            return false;
        }
        bySigner.get(known.height())[known.signer()] = known;
        return true;
    }

    /** The request's checked shares in signer order (none: an empty array). */
    private OutcallShare[] held(long callbackId) {
        OutcallShare[] slots = bySigner.get(callbackId);
        return slots == null ? NONE : slots;
    }

    private static final OutcallShare[] NONE = new OutcallShare[0];

    /**
     * Whether two shares sign the same metadata with the same batch signature. (A record's equality
     * would compare the signature's bytes by reference, so a share decoded again never equals the held one.)
     */
    private static boolean sameSigned(SignedShare a, SignedShare b) {
        BatchSignature x = a.signature();
        BatchSignature y = b.signature();
        return a.signer() == b.signer() && a.metadata().equals(b.metadata()) && x.index() == y.index()
                && x.count() == y.count() && x.path().equals(y.path()) && Arrays.equals(x.signature(), y.signature());
    }

    /** Attaches a content to every share of the request that signed it; false if none matched. */
    boolean attachContent(long callbackId, Hash contentHash, byte[] content) {
        boolean attached = false;
        for (OutcallShare held : held(callbackId)) {
            if (held != null && held.content() == null && held.share().metadata().contentHash().equals(contentHash)
                    && ShareBinding.contentMismatch(held.share().metadata(), content) == null) {
                attached |= replace(held.withContent(content));
            }
        }
        return attached;
    }

    /** The request's checked shares by signer, with their contents where known. */
    List<ItemMaker.Candidate> candidates(long callbackId) {
        List<ItemMaker.Candidate> out = new ArrayList<>();
        for (OutcallShare s : held(callbackId)) {
            if (s != null) {
                out.add(new ItemMaker.Candidate(s.share(), s.content()));
            }
        }
        return out;
    }

    /** The content of any share of the request with this hash, or null. */
    byte[] content(long callbackId, Hash contentHash) {
        for (OutcallShare s : held(callbackId)) {
            if (s != null && s.content() != null && s.share().metadata().contentHash().equals(contentHash)) {
                return s.content();
            }
        }
        return null;
    }

    /**
     * A content already checked against a share of the request that signed the same hash with the
     * same transform (the hash covers both), or null: honest replicas send the same few contents,
     * so each distinct one is hashed and decoded once, not once per share.
     */
    byte[] checkedContent(ShareMetadata m) {
        for (OutcallShare s : held(m.callbackId())) {
            if (s != null && s.content() != null && s.share().metadata().contentHash().equals(m.contentHash())
                    && s.share().metadata().transform().equals(m.transform())) {
                return s.content();
            }
        }
        return null;
    }

    /** A replica's share for a request, or null. */
    OutcallShare of(long callbackId, int signer) {
        OutcallShare[] slots = held(callbackId);
        return signer >= 0 && signer < slots.length ? slots[signer] : null;
    }

    /** Per content hash, how many shares (for status and the dashboard). */
    Map<Hash, Integer> countsByHash(long callbackId) {
        Map<Hash, Integer> counts = new TreeMap<>();
        for (OutcallShare held : held(callbackId)) {
            if (held != null) {
                counts.merge(held.share().metadata().contentHash(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** A request closed: its shares go, early or checked. */
    void close(long callbackId) {
        bySigner.remove(callbackId);
        pool.removeAt(callbackId);
    }

    /** No request below {@code callbackId} can open any more: early shares for them go. */
    void forgetBelow(long callbackId) {
        bySigner.headMap(callbackId).clear();
        pool.purgeBelow(callbackId);
    }

    int held() {
        return pool.validatedCount();
    }
}
