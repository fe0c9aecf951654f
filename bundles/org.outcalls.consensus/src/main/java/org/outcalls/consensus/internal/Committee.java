package org.outcalls.consensus.internal;

import java.util.List;
import org.outcalls.crypto.PublicKey;

/**
 * The members that run consensus at one height: n, f = ⌊(n − 1)/3⌋, the threshold n − f, their keys
 * by index, and this replica's index among them (−1 if it is not one of them there: then it
 * validates what it receives but signs nothing at that height).
 */
record Committee(List<PublicKey> keys, int n, int f, int threshold, int self) {
    static Committee of(List<PublicKey> keys, PublicKey own) {
        int n = keys.size();
        int f = (n - 1) / 3;
        return new Committee(List.copyOf(keys), n, f, n - f, keys.indexOf(own));
    }

    boolean member() {
        return self >= 0;
    }

    PublicKey key(int index) {
        return keys.get(index);
    }
}
