package org.outcalls.consensus.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.crypto.Hash;

/** Everything one replica knows and has done at one height above its finalized height. */
final class HeightState {
    final long height;
    /** Local clock when this replica first had a notarized block at {@code height − 1}; −1 before. */
    long roundStart = -1;
    /** Validated proposals by block hash, in arrival order. */
    final Map<Hash, Proposal> proposals = new LinkedHashMap<>();
    /** Validated proposals' hashes per maker (two means the maker equivocated). */
    final Map<Integer, List<Hash>> byMaker = new TreeMap<>();
    /**
     * Notarized blocks this replica accepted without being able to check them (a plugin missing
     * here): it follows them but never votes for them.
     */
    final Set<Hash> unchecked = new TreeSet<>();
    /** Makers seen proposing two different blocks at this height. */
    final Set<Integer> disqualified = new TreeSet<>();
    /** Validated notarization / finalization share signatures: block hash → signer → signature. */
    final Map<Hash, TreeMap<Integer, byte[]>> notarizationShares = new LinkedHashMap<>();
    final Map<Hash, TreeMap<Integer, byte[]>> finalizationShares = new LinkedHashMap<>();
    private final int[] notarizationSharesBy;
    private final int[] finalizationSharesBy;
    /** Notarizations and finalizations (received or aggregated here) by block hash. */
    final Map<Hash, Aggregate> notarizations = new LinkedHashMap<>();
    final Map<Hash, Aggregate> finalizations = new LinkedHashMap<>();
    /** Blocks this replica notarization-shared (the set N of the ICC paper). */
    final Set<Hash> myNotarizationShares = new LinkedHashSet<>();
    /** Blocks this replica finalization-shared (at most one unless equivocating). */
    final Set<Hash> myFinalizationShares = new LinkedHashSet<>();
    /** Whether this replica decided about its finalization share here (it makes at most one). */
    boolean finalizationShareDecided;
    /** Whether this replica made its proposal here. */
    boolean proposed;
    /** Its own proposals and shares here, for retransmission. */
    final List<Wire.Signed> mine = new ArrayList<>();
    /** Block hashes asked from peers, with the local time of the last request. */
    final Map<Hash, Long> requested = new LinkedHashMap<>();

    HeightState(long height, int n) {
        this.height = height;
        this.notarizationSharesBy = new int[n];
        this.finalizationSharesBy = new int[n];
    }

    boolean notarized(Hash hash) {
        return notarizations.containsKey(hash) || finalizations.containsKey(hash);
    }

    /** Validated blocks that are notarized (a finalization counts: honest replicas finalize only notarized blocks). */
    List<Proposal> notarizedBlocks() {
        List<Proposal> out = new ArrayList<>();
        for (Proposal p : proposals.values()) {
            if (notarized(p.hash())) {
                out.add(p);
            }
        }
        return out;
    }

    boolean hasNotarizedBlock() {
        for (Hash h : proposals.keySet()) {
            if (notarized(h)) {
                return true;
            }
        }
        return false;
    }

    /** Validated proposals of makers not disqualified here, lowest rank first. */
    List<Proposal> rankedCandidates() {
        List<Proposal> out = new ArrayList<>();
        for (Proposal p : proposals.values()) {
            if (!disqualified.contains(p.maker()) && !unchecked.contains(p.hash())) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingInt(Proposal::rank).thenComparing(Proposal::hash));
        return out;
    }

    Map<Hash, TreeMap<Integer, byte[]>> shares(boolean notarization) {
        return notarization ? notarizationShares : finalizationShares;
    }

    byte[] shareSignature(boolean notarization, Hash hash, int signer) {
        TreeMap<Integer, byte[]> m = shares(notarization).get(hash);
        return m == null ? null : m.get(signer);
    }

    int sharesBy(boolean notarization, int signer) {
        return notarization ? notarizationSharesBy[signer] : finalizationSharesBy[signer];
    }

    /** Records a validated share; returns how many signers the block now has. */
    int addShare(boolean notarization, Hash hash, int signer, byte[] signature) {
        TreeMap<Integer, byte[]> m = shares(notarization).computeIfAbsent(hash, k -> new TreeMap<>());
        if (m.putIfAbsent(signer, signature) == null) {
            if (notarization) {
                notarizationSharesBy[signer]++;
            } else {
                finalizationSharesBy[signer]++;
            }
        }
        return m.size();
    }

    void addShare(Share s) {
        addShare(s.notarization(), s.hash(), s.signer(), s.signature());
    }
}
