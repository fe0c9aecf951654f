package org.outcalls.replica.internal.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.AppliedMembership;
import org.outcalls.replica.MembershipSchedule;
import org.outcalls.replica.PendingMembership;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.replica.Domains;
import org.outcalls.replica.internal.codec.Sha256;
import org.outcalls.replica.internal.codec.ValueCodec;

/**
 * The replicated state of a subnet at one height: the registry, the canisters (sorted key-value
 * state and cycles), the open request contexts, the next callback id, the ids of executed ingress
 * messages until they expire, and the height and time of the last executed block.
 *
 * <p>Every collection is sorted, so iteration is the same on every replica. The state hash is
 * SHA-256 over a canonical header and the roots of incrementally hashed maps: a block re-hashes
 * only what it changed.
 *
 * <p>Not thread-safe: the replica serializes execution and reads.
 */
public final class ReplicatedState {
    private final String subnetId;
    private long height;
    private long blockTime;
    private SubnetRegistry registry;
    private byte[] registryHash;
    private final TreeMap<String, CanisterState> canisters = new TreeMap<>();
    private final HashedMap canisterHashes = new HashedMap("canisters");
    private final TreeSet<String> dirtyCanisters = new TreeSet<>();
    private final TreeMap<Long, RequestContext> contexts = new TreeMap<>();
    private final HashedMap contextHashes = new HashedMap("contexts");
    private long nextCallbackId;
    /** A membership change not in force yet, or null. */
    private PendingMembership pendingMembership;
    /** Every membership change that took effect, oldest first (each names the members it replaced). */
    private List<AppliedMembership> appliedMemberships = List.of();
    private final HashedMap executedIngress = new HashedMap("ingress");
    /** Executed ingress ids by expiry, to forget them once they expire. */
    private final TreeMap<Long, TreeSet<String>> ingressByExpiry = new TreeMap<>();

    ReplicatedState(String subnetId, long height, long blockTime, SubnetRegistry registry, long nextCallbackId) {
        this.subnetId = Objects.requireNonNull(subnetId, "subnetId");
        this.height = height;
        this.blockTime = blockTime;
        setRegistry(registry);
        this.nextCallbackId = nextCallbackId;
    }

    /** The state at height 0: the genesis registry and every installed canister with its initial cycles. */
    public static ReplicatedState genesis(Genesis genesis) {
        ReplicatedState s = new ReplicatedState(genesis.subnetId(), 0, genesis.timeMillis(), genesis.registry(), 0);
        genesis.registry().canisters().forEach(s::addCanister);
        return s;
    }

    public String subnetId() {
        return subnetId;
    }

    public long height() {
        return height;
    }

    public long blockTime() {
        return blockTime;
    }

    /** Moves to the next block's height and time. */
    public void advance(long newHeight, long newBlockTime) {
        this.height = newHeight;
        this.blockTime = newBlockTime;
    }

    public SubnetRegistry registry() {
        return registry;
    }

    public void setRegistry(SubnetRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.registryHash = Sha256.hash(Domains.REGISTRY, registry.encode());
    }

    // --- canisters

    void addCanister(String id, long cycles) {
        if (canisters.containsKey(id)) {
            throw new IllegalStateException("canister " + id + " exists");
        }
        canisters.put(id, new CanisterState(id, cycles));
        dirtyCanisters.add(id);
    }

    public CanisterState canister(String id) {
        return canisters.get(id);
    }

    /** A canister about to change; its hash is recomputed with the next state hash. */
    public CanisterState mutableCanister(String id) {
        CanisterState c = canisters.get(id);
        if (c == null) {
            throw new IllegalStateException("no canister " + id + " in replicated state");
        }
        dirtyCanisters.add(id);
        return c;
    }

    public void setCycles(String canisterId, long cycles) {
        mutableCanister(canisterId).setCycles(cycles);
    }

    public NavigableMap<String, CanisterState> canisters() {
        return Collections.unmodifiableNavigableMap(canisters);
    }

    // --- request contexts

    public long nextCallbackId() {
        return nextCallbackId;
    }

    public void setNextCallbackId(long next) {
        if (next < nextCallbackId) {
            throw new IllegalStateException("callback ids never go back (" + next + " < " + nextCallbackId + ")");
        }
        this.nextCallbackId = next;
    }

    public void addContext(RequestContext c) {
        if (contexts.putIfAbsent(c.callbackId(), c) != null) {
            throw new IllegalStateException("request context " + c.callbackId() + " exists");
        }
        contextHashes.put(contextKey(c.callbackId()), Sha256.hash(Domains.REQUEST_CONTEXT, ValueCodec.encodeContext(c)));
    }

    public RequestContext removeContext(long callbackId) {
        RequestContext c = contexts.remove(callbackId);
        if (c != null) {
            contextHashes.remove(contextKey(callbackId));
        }
        return c;
    }

    public RequestContext context(long callbackId) {
        return contexts.get(callbackId);
    }

    /** Open contexts by callback id. */
    public NavigableMap<Long, RequestContext> contexts() {
        return Collections.unmodifiableNavigableMap(contexts);
    }

    // --- executed ingress

    public boolean isExecuted(String messageIdHex) {
        return executedIngress.containsKey(messageIdHex);
    }

    public void recordExecuted(String messageIdHex, long expiryMillis) {
        executedIngress.put(messageIdHex, new CanonicalWriter(8).i64(expiryMillis).toByteArray());
        ingressByExpiry.computeIfAbsent(expiryMillis, e -> new TreeSet<>()).add(messageIdHex);
    }

    /** Forgets executed ids whose expiry lies before {@code blockTime}: such messages are refused as expired anyway. */
    public void forgetExpiredIngress(long time) {
        Iterator<Map.Entry<Long, TreeSet<String>>> it = ingressByExpiry.headMap(time, false).entrySet().iterator();
        while (it.hasNext()) {
            it.next().getValue().forEach(executedIngress::remove);
            it.remove();
        }
    }

    public int executedIngressCount() {
        return executedIngress.size();
    }

    /** Executed ids with their expiry, by id. */
    public NavigableMap<String, Long> executedIngress() {
        TreeMap<String, Long> m = new TreeMap<>();
        executedIngress.entries().forEach((id, v) -> m.put(id, java.nio.ByteBuffer.wrap(v).getLong()));
        return m;
    }

    // --- membership

    /** A membership change agreed and not in force yet. */
    public PendingMembership pendingMembership() {
        return pendingMembership;
    }

    /** The last membership change that took effect, or null. */
    public AppliedMembership appliedMembership() {
        return appliedMemberships.isEmpty() ? null : appliedMemberships.get(appliedMemberships.size() - 1);
    }

    /** Every membership change that took effect, oldest first. */
    public List<AppliedMembership> appliedMemberships() {
        return appliedMemberships;
    }

    public void setMembership(PendingMembership pending, List<AppliedMembership> applied) {
        this.pendingMembership = pending;
        this.appliedMemberships = List.copyOf(applied);
    }

    /** Who the members are at each height and registry version, as this state says. */
    public MembershipSchedule membershipSchedule() {
        return new MembershipSchedule(height, registry.members(), Optional.ofNullable(pendingMembership),
                appliedMemberships);
    }

    // --- hash

    /**
     * SHA-256 over the canonical header and the roots of canisters, contexts and executed ingress,
     * and the membership record's hash once there is one (before that, the hash is what releases
     * without membership changes compute).
     */
    public byte[] hash() {
        for (String id : dirtyCanisters) {
            canisterHashes.put(id, canisters.get(id).hash());
        }
        dirtyCanisters.clear();
        CanonicalWriter w = new CanonicalWriter(288).string(subnetId).i64(height).i64(blockTime)
                .i64(nextCallbackId).fixed(registryHash).fixed(canisterHashes.rootHash())
                .fixed(contextHashes.rootHash()).fixed(executedIngress.rootHash());
        if (MembershipCodec.present(pendingMembership, appliedMemberships)) {
            w.fixed(MembershipCodec.hash(pendingMembership, appliedMemberships));
        }
        return Sha256.hash(Domains.STATE, w.toByteArray());
    }

    /** Ids of canisters in state, sorted. */
    public List<String> canisterIds() {
        return new ArrayList<>(canisters.keySet());
    }

    /** Zero-padded so keys sort numerically; Locale.ROOT because a locale may have other digits. */
    static String contextKey(long callbackId) {
        return String.format(java.util.Locale.ROOT, "%020d", callbackId);
    }
}
