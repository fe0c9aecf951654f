package org.outcalls.consensus.internal;

import java.util.List;
import java.util.TreeMap;
import org.outcalls.consensus.Membership;
import org.outcalls.crypto.PublicKey;

/**
 * The {@link Committee} at each height, from the replica's {@link Membership}, remembered once known
 * (the answer for a height never changes) and forgotten below the finalized height.
 */
final class Committees {
    private final Membership membership;
    private final PublicKey own;
    private final TreeMap<Long, Committee> known = new TreeMap<>();

    Committees(Membership membership, PublicKey own) {
        this.membership = membership;
        this.own = own;
    }

    /** The committee at {@code height}, or null if it is not known here yet. */
    Committee at(long height) {
        Committee c = known.get(height);
        if (c != null) {
            return c;
        }
        List<PublicKey> keys = membership.at(height);
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        c = Committee.of(keys, own);
        known.put(height, c);
        return c;
    }

    /** n at {@code height}, or 0 if not known. */
    int sizeAt(long height) {
        Committee c = at(height);
        return c == null ? 0 : c.n();
    }

    /** Forgets heights at or below {@code height}. */
    void purge(long height) {
        known.headMap(height, true).clear();
    }
}
