package org.outcalls.replica.internal.ingress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.outcalls.replica.IngressAdmission;
import org.outcalls.replica.IngressMessage;

/**
 * Ingress messages waiting for a block, from the local gateway and from peers' gossip. Bounded in
 * total and per peer (count and bytes) so no client or peer can exhaust memory; a message is
 * admitted only with a valid signature, an expiry within the window of the local clock, and an id
 * not already pooled or executed. Local state: only block making reads it, never validation.
 * Thread-safe.
 */
public final class IngressPool {
    /** The source index of messages from this replica's own gateway. */
    public static final int LOCAL = -1;

    /** How long a message that went into a block proposal does not count as new work. */
    public static final long PROPOSED_GRACE_MILLIS = 5_000;

    private static final class Entry {
        final IngressMessage message;
        final int source;
        /** Local time it was last seen in a proposed block, or Long.MIN_VALUE. */
        long proposedAt = Long.MIN_VALUE;

        Entry(IngressMessage message, int source) {
            this.message = message;
            this.source = source;
        }

        IngressMessage message() {
            return message;
        }

        int source() {
            return source;
        }
    }

    private final Ingress.PoolLimits limits;
    private final Predicate<String> executed;
    /** Hex id of this subnet: a message signed for another is refused at the door. */
    private final String subnetId;
    /** By id, in arrival order (block making takes the oldest first). */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final Map<Integer, long[]> perSource = new HashMap<>();
    private long totalBytes;

    /**
     * @param executed whether a message id (hex) was already executed (read from the latest state)
     */
    public IngressPool(Ingress.PoolLimits limits, String subnetId, Predicate<String> executed) {
        this.limits = limits;
        this.subnetId = subnetId;
        this.executed = executed;
    }

    /** Hex id of the subnet this pool admits messages for. */
    public String subnetId() {
        return subnetId;
    }

    /** Admits a message from {@code source} ({@link #LOCAL} or a peer index) at local time {@code nowMillis}. */
    public synchronized IngressAdmission add(IngressMessage m, int source, long nowMillis) {
        String id = m.idHex();
        if (entries.containsKey(id)) {
            return IngressAdmission.duplicate(id, "message " + id + " is already waiting for a block");
        }
        String wrongSubnet = m.wrongSubnet(subnetId);
        if (wrongSubnet != null) {
            return IngressAdmission.rejected(id, wrongSubnet);
        }
        if (executed.test(id)) {
            return IngressAdmission.duplicate(id, "message " + id + " was already executed");
        }
        Optional<String> expiry = m.checkExpiry(nowMillis);
        if (expiry.isPresent()) {
            return IngressAdmission.rejected(id, "expiry: " + expiry.get());
        }
        if (!m.verifySignature()) {
            return IngressAdmission.rejected(id, "signature: does not verify against the sender's key");
        }
        int size = m.encodedSize();
        if (entries.size() >= limits.maxMessages() || totalBytes + size > limits.maxBytes()) {
            return IngressAdmission.rejected(id, "the ingress pool is full (" + entries.size() + " messages, "
                    + totalBytes + " bytes; at most " + limits.maxMessages() + " messages and " + limits.maxBytes()
                    + " bytes); try again later");
        }
        long[] quota = perSource.computeIfAbsent(source, s -> new long[2]);
        if (source != LOCAL && (quota[0] >= limits.maxPerPeerMessages() || quota[1] + size > limits.maxPerPeerBytes())) {
            return IngressAdmission.rejected(id, "peer " + source + " has " + quota[0] + " messages ("
                    + quota[1] + " bytes) waiting; at most " + limits.maxPerPeerMessages() + " messages and "
                    + limits.maxPerPeerBytes() + " bytes per peer");
        }
        entries.put(id, new Entry(m, source));
        quota[0]++;
        quota[1] += size;
        totalBytes += size;
        return IngressAdmission.accepted(id);
    }

    /** Waiting messages, oldest first. */
    public synchronized List<IngressMessage> candidates() {
        List<IngressMessage> list = new ArrayList<>(entries.size());
        entries.values().forEach(e -> list.add(e.message()));
        return list;
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Notes that these messages went into a block proposal (built here or validated from a peer). */
    public synchronized void markProposed(Collection<String> ids, long nowMillis) {
        for (String id : ids) {
            Entry e = entries.get(id);
            if (e != null) {
                e.proposedAt = nowMillis;
            }
        }
    }

    /**
     * Whether a message waits that no block proposal carried in the last
     * {@link #PROPOSED_GRACE_MILLIS}: new work for a block maker. Messages in a proposal that was
     * not finalized become work again after the grace period.
     */
    public boolean hasNewWork(long nowMillis) {
        return hasNewWork(nowMillis, m -> true);
    }

    /** Like {@link #hasNewWork(long)}, counting only the messages {@code wanted} accepts. */
    public synchronized boolean hasNewWork(long nowMillis, Predicate<IngressMessage> wanted) {
        for (Entry e : entries.values()) {
            if ((e.proposedAt == Long.MIN_VALUE || nowMillis - e.proposedAt > PROPOSED_GRACE_MILLIS)
                    && wanted.test(e.message())) {
                return true;
            }
        }
        return false;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long bytes() {
        return totalBytes;
    }

    public synchronized boolean contains(String id) {
        return entries.containsKey(id);
    }

    /** Drops messages that were executed (or dropped by execution) and those expired at {@code blockTimeMillis}. */
    public synchronized void purge(Collection<String> doneIds, long blockTimeMillis) {
        doneIds.forEach(this::remove);
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        List<String> expired = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getValue().message().isExpired(blockTimeMillis)) {
                expired.add(e.getKey());
            }
        }
        expired.forEach(this::remove);
    }

    private void remove(String id) {
        Entry e = entries.remove(id);
        if (e == null) {
            return;
        }
        int size = e.message().encodedSize();
        totalBytes -= size;
        long[] quota = perSource.get(e.source());
        quota[0]--;
        quota[1] -= size;
        if (quota[0] == 0) {
            perSource.remove(e.source());
        }
    }
}
