package org.outcalls.pool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.outcalls.crypto.Hash;

/**
 * A bounded pool of artifacts for one replica. Received artifacts enter the unvalidated section
 * if they are new, within the height window and within the sender's quota; the owner checks them
 * (signature, membership, protocol rules), then {@linkplain #accept accepts} or
 * {@linkplain #reject rejects} each, or leaves it for later. Its own artifacts go straight to the
 * validated section. {@link #purgeBelow} raises the floor and frees both sections below it.
 *
 * <p>Memory is bounded by the limits: per peer in the unvalidated section, in total in the
 * validated one. CPU is bounded too: duplicates, remembered rejects and out-of-window artifacts
 * are dropped on arrival before any check, and {@link #unvalidated(int)} hands out work
 * round-robin across peers so one flooding peer cannot starve the others. Thread-safe.
 *
 * @param <A> the artifact type
 */
public final class ArtifactPool<A extends PoolArtifact> {
    /** An artifact waiting for the owner's checks, with the peer that sent it. */
    public record Unvalidated<A>(int peer, A artifact) {
    }

    private final int peers;
    private final PoolLimits limits;
    private final List<LinkedHashMap<Hash, A>> unvalidated = new ArrayList<>();
    private final long[] unvalidatedBytes;
    private final long[] invalid;
    private final Map<Hash, Integer> unvalidatedOwner = new java.util.HashMap<>();
    private final TreeMap<Long, LinkedHashMap<Hash, A>> validated = new TreeMap<>();
    private final java.util.HashMap<Hash, A> validatedById = new java.util.HashMap<>();
    private final LinkedHashMap<Hash, Boolean> rejected;
    private long floor;
    private int nextPeer;

    /** @param peers number of replicas (peer indices are {@code [0, peers)}) */
    public ArtifactPool(int peers, PoolLimits limits) {
        this.peers = peers;
        this.limits = limits;
        this.unvalidatedBytes = new long[peers];
        this.invalid = new long[peers];
        for (int i = 0; i < peers; i++) {
            unvalidated.add(new LinkedHashMap<>());
        }
        this.rejected = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
                return size() > limits.rememberRejected();
            }
        };
    }

    public PoolLimits limits() {
        return limits;
    }

    /** Offers an artifact received from {@code peer} to the unvalidated section. */
    public synchronized Admission offer(int peer, A artifact) {
        if (peer < 0 || peer >= peers) {
            throw new IllegalArgumentException("peer: must be 0.." + (peers - 1));
        }
        Hash id = artifact.id();
        if (validatedById.containsKey(id) || unvalidatedOwner.containsKey(id)) {
            return Admission.DUPLICATE;
        }
        if (rejected.containsKey(id)) {
            return Admission.REJECTED_BEFORE;
        }
        long h = artifact.height();
        if (h < floor) {
            return Admission.BELOW_WINDOW;
        }
        if (h - floor >= limits.heightWindow()) {
            return Admission.ABOVE_WINDOW;
        }
        LinkedHashMap<Hash, A> mine = unvalidated.get(peer);
        long bytes = Math.max(1, artifact.sizeBytes());
        if (mine.size() >= limits.unvalidatedPerPeer() || unvalidatedBytes[peer] + bytes > limits.unvalidatedBytesPerPeer()) {
            return Admission.OVER_QUOTA;
        }
        mine.put(id, artifact);
        unvalidatedBytes[peer] += bytes;
        unvalidatedOwner.put(id, peer);
        return Admission.ADMITTED;
    }

    /**
     * Up to {@code max} unvalidated artifacts, taken round-robin across peers (oldest first within
     * a peer), starting with a different peer each call. They stay in the pool until accepted,
     * rejected or dropped.
     */
    public synchronized List<Unvalidated<A>> unvalidated(int max) {
        List<Unvalidated<A>> out = new ArrayList<>();
        List<Iterator<A>> its = new ArrayList<>(peers);
        for (int i = 0; i < peers; i++) {
            its.add(unvalidated.get(i).values().iterator());
        }
        int start = nextPeer;
        nextPeer = (nextPeer + 1) % peers;
        boolean any = true;
        while (out.size() < max && any) {
            any = false;
            for (int k = 0; k < peers && out.size() < max; k++) {
                int p = (start + k) % peers;
                Iterator<A> it = its.get(p);
                if (it.hasNext()) {
                    out.add(new Unvalidated<>(p, it.next()));
                    any = true;
                }
            }
        }
        return out;
    }

    /**
     * The unvalidated artifacts at exactly {@code height}, from every peer (oldest first within a
     * peer): an owner that could not judge artifacts for a height before (outcall shares for a
     * request not open yet) takes them up once it can.
     */
    public synchronized List<Unvalidated<A>> unvalidatedAt(long height) {
        List<Unvalidated<A>> out = new ArrayList<>();
        for (int p = 0; p < peers; p++) {
            for (A a : unvalidated.get(p).values()) {
                if (a.height() == height) {
                    out.add(new Unvalidated<>(p, a));
                }
            }
        }
        return out;
    }

    /**
     * Frees everything at exactly {@code height}, in both sections, without moving the floor: for
     * owners whose heights end out of order (an outcall request closes whenever it is decided).
     */
    public synchronized void removeAt(long height) {
        LinkedHashMap<Hash, A> at = validated.remove(height);
        if (at != null) {
            at.keySet().forEach(validatedById::remove);
        }
        for (int p = 0; p < peers; p++) {
            Iterator<A> it = unvalidated.get(p).values().iterator();
            while (it.hasNext()) {
                A a = it.next();
                if (a.height() == height) {
                    it.remove();
                    unvalidatedBytes[p] -= Math.max(1, a.sizeBytes());
                    unvalidatedOwner.remove(a.id());
                }
            }
        }
    }

    /**
     * Replaces a validated artifact by one with the same id (the same artifact, with more of it
     * known, such as a share whose content arrived later). False if none with that id is held.
     */
    public synchronized boolean replaceValidated(A artifact) {
        Hash id = artifact.id();
        A old = validatedById.get(id);
        if (old == null || old.height() != artifact.height()) {
            return false;
        }
        validatedById.put(id, artifact);
        validated.get(artifact.height()).put(id, artifact);
        return true;
    }

    /** How many artifacts wait in the unvalidated section. */
    public synchronized int unvalidatedCount() {
        return unvalidatedOwner.size();
    }

    /** Moves a checked artifact to the validated section. False if it was no longer pooled or the pool is full. */
    public synchronized boolean accept(Unvalidated<A> u) {
        if (!removeUnvalidated(u.artifact().id())) {
            return false;
        }
        return addValidated(u.artifact());
    }

    /** Drops an artifact that failed its checks, remembers its id and counts it against the peer. */
    public synchronized void reject(Unvalidated<A> u) {
        if (removeUnvalidated(u.artifact().id())) {
            invalid[u.peer()]++;
            if (limits.rememberRejected() > 0) {
                rejected.put(u.artifact().id(), Boolean.TRUE);
            }
        }
    }

    /** Drops an unvalidated artifact without blame (obsolete, or superseded). */
    public synchronized void drop(Unvalidated<A> u) {
        removeUnvalidated(u.artifact().id());
    }

    /** Adds the owner's own artifact (or one checked elsewhere) to the validated section. */
    public synchronized boolean addValidated(A artifact) {
        Hash id = artifact.id();
        if (validatedById.containsKey(id) || artifact.height() < floor || validatedById.size() >= limits.maxValidated()) {
            return false;
        }
        validatedById.put(id, artifact);
        validated.computeIfAbsent(artifact.height(), h -> new LinkedHashMap<>()).put(id, artifact);
        return true;
    }

    public synchronized boolean contains(Hash id) {
        return validatedById.containsKey(id) || unvalidatedOwner.containsKey(id);
    }

    public synchronized A validated(Hash id) {
        return validatedById.get(id);
    }

    /** The validated artifacts at {@code height}, in the order they were accepted. */
    public synchronized List<A> validatedAt(long height) {
        LinkedHashMap<Hash, A> m = validated.get(height);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /**
     * The first validated artifact at {@code height} (in the order accepted) that {@code match}
     * accepts, or null; unlike {@link #validatedAt} it copies nothing, for owners that look up one
     * artifact per arriving one. {@code match} must not call back into the pool.
     */
    public synchronized A findValidated(long height, Predicate<? super A> match) {
        LinkedHashMap<Hash, A> m = validated.get(height);
        if (m != null) {
            for (A a : m.values()) {
                if (match.test(a)) {
                    return a;
                }
            }
        }
        return null;
    }

    public synchronized int validatedCount() {
        return validatedById.size();
    }

    /** Heights that have validated artifacts, ascending. */
    public synchronized Collection<Long> validatedHeights() {
        return List.copyOf(validated.keySet());
    }

    /** Artifacts rejected from {@code peer} so far (evidence of a faulty or malicious peer). */
    public synchronized long invalidFrom(int peer) {
        return invalid[peer];
    }

    public synchronized long floor() {
        return floor;
    }

    /** Raises the floor to {@code height} and frees everything below it, in both sections. */
    public synchronized void purgeBelow(long height) {
        if (height <= floor) {
            return;
        }
        floor = height;
        var below = validated.headMap(height, false);
        for (LinkedHashMap<Hash, A> m : below.values()) {
            for (Hash id : m.keySet()) {
                validatedById.remove(id);
            }
        }
        below.clear();
        for (int p = 0; p < peers; p++) {
            Iterator<A> it = unvalidated.get(p).values().iterator();
            while (it.hasNext()) {
                A a = it.next();
                if (a.height() < height) {
                    it.remove();
                    unvalidatedBytes[p] -= Math.max(1, a.sizeBytes());
                    unvalidatedOwner.remove(a.id());
                }
            }
        }
    }

    private boolean removeUnvalidated(Hash id) {
        Integer p = unvalidatedOwner.remove(id);
        if (p == null) {
            return false;
        }
        A a = unvalidated.get(p).remove(id);
        unvalidatedBytes[p] -= Math.max(1, a.sizeBytes());
        return true;
    }

    @Override
    public synchronized String toString() {
        return "ArtifactPool[floor " + floor + ", unvalidated " + unvalidatedOwner.size() + ", validated "
                + validatedById.size() + "]";
    }
}
