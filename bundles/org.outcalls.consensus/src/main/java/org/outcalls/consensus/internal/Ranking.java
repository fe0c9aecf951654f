package org.outcalls.consensus.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;

/**
 * The block makers' ranks at each height: a permutation of {@code [0, n)} obtained by sorting the
 * replicas by SHA-256({@link Domain#RANKING}, subnet id, height, index). Deterministic and the
 * same on every replica; unlike the IC's random beacon it is predictable (see the README).
 */
public final class Ranking {
    private final byte[] subnetId;
    private final int n;
    private final Map<Long, int[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
            return size() > 256;
        }
    };

    public Ranking(byte[] subnetId, int n) {
        this.subnetId = subnetId.clone();
        this.n = n;
    }

    /** rankOf[replica] at {@code height}. */
    public int rankOf(long height, int replica) {
        return ranks(height)[replica];
    }

    /** The replica with {@code rank} at {@code height}. */
    public int makerOf(long height, int rank) {
        int[] r = ranks(height);
        for (int i = 0; i < n; i++) {
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
