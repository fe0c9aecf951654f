package org.outcalls.crypto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verifies items signed with {@link BatchSigner}. Remembers a bounded number of roots whose
 * signature it has already checked (least recently used are forgotten first), so the items of
 * one batch cost one signature check between them. Thread-safe.
 */
public final class BatchVerifier {
    private final int capacity;
    private final Map<Hash, Boolean> verifiedRoots;
    private long signatureChecks;

    /** @param capacity how many verified roots to remember (at least 1) */
    public BatchVerifier(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: must be at least 1");
        }
        this.capacity = capacity;
        this.verifiedRoots = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
                return size() > BatchVerifier.this.capacity;
            }
        };
    }

    /** True if {@code signer} signed {@code item} (in {@code itemDomain}) as part of a batch. */
    public boolean verify(PublicKey signer, Domain itemDomain, byte[] item, BatchSignature sig) {
        Hash root = BatchSigner.rootOf(itemDomain, item, sig);
        if (root == null) {
            return false;
        }
        byte[] body = BatchSigner.rootBody(itemDomain, sig.count(), root);
        Hash key = Hash.sha256(signer.raw(), body, sig.signature());
        synchronized (verifiedRoots) {
            if (verifiedRoots.containsKey(key)) {
                return true;
            }
        }
        boolean ok = signer.verify(Domain.BATCH_ROOT, body, sig.signature());
        synchronized (verifiedRoots) {
            signatureChecks++;
            if (ok) {
                verifiedRoots.put(key, Boolean.TRUE);
            }
        }
        return ok;
    }

    /** How many Ed25519 checks this verifier has made (the cache saved the rest). */
    public long signatureChecks() {
        synchronized (verifiedRoots) {
            return signatureChecks;
        }
    }
}
