package org.outcalls.consensus.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;

/**
 * The block makers' ranks at each height: a permutation of {@code [0, n)} (n at that height) obtained by sorting the
 * replicas by SHA-256({@link Domain#RANKING}, subnet id, height, index). Deterministic and the
 * same on every replica; unlike the IC's random beacon it is predictable (see the README).
 */
public final class Ranking {
    private final byte[] subnetId;
    private final java.util.function.LongToIntFunction sizeAt;
    private final Map<Long, int[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
            return size() > 256;
        }
    };

    public Ranking(byte[] subnetId, int n) {
        this(subnetId, height -> n);
    }

    /** Ranks over the members at each height ({@code sizeAt}: n at that height, known before it is asked). */
    public Ranking(byte[] subnetId, java.util.function.LongToIntFunction sizeAt) {
        this.subnetId = subnetId.clone();
        this.sizeAt = sizeAt;
    }

    /** rankOf[replica] at {@code height}. */
    public int rankOf(long height, int replica) {
        return ranks(height)[replica];
    }

    /** The replica with {@code rank} at {@code height}. */
    public int makerOf(long height, int rank) {
        int[] r = ranks(height);
        for (int i = 0; i < r.length; i++) {
            if (r[i] == rank) {
                return i;
            }
        }
        throw new IllegalArgumentException("rank " + rank);
    }

    private int[] ranks(long height) {
        int[] cached = cache.get(height);
        if (cached != null) {
            return cached;
        }
        int n = sizeAt.applyAsInt(height);
        Hash[] keys = new Hash[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Hash.of(Domain.RANKING, new CanonicalWriter(48).bytes(subnetId).i64(height).u32(i).toByteArray());
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = keys[a].compareTo(keys[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] rankOf = new int[n];
        for (int rank = 0; rank < n; rank++) {
            rankOf[order[rank]] = rank;
        }
        cache.put(height, rankOf);
        return rankOf;
    }
}
