package org.outcalls.consensus;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * A finalization: at least n − f replicas' Ed25519 signatures, in {@link Domain#FINALIZATION_SHARE},
 * over {@link #signedBody(byte[], long, Hash)} of one block. It proves that block final, and with
 * it every ancestor (the chain from the ancestor to it is checked through the blocks' parent
 * hashes).
 *
 * @param height     the finalized block's height
 * @param blockHash  the finalized block's hash
 * @param signatures signer index → signature
 */
public record FinalityProof(long height, Hash blockHash, SortedMap<Integer, byte[]> signatures) {
    public FinalityProof {
        TreeMap<Integer, byte[]> copy = new TreeMap<>();
        signatures.forEach((k, v) -> copy.put(k, v.clone()));
        signatures = Collections.unmodifiableSortedMap(copy);
    }

    /** The bytes every finalization share signs: subnet id, height, block hash. */
    public static byte[] signedBody(byte[] subnetId, long height, Hash blockHash) {
        return new CanonicalWriter(96).bytes(subnetId).i64(height).hash(blockHash).toByteArray();
    }

    /** Whether at least n − f distinct members signed this finalization correctly. */
    public boolean verify(byte[] subnetId, List<PublicKey> members) {
        int n = members.size();
        int threshold = n - (n - 1) / 3;
        byte[] body = signedBody(subnetId, height, blockHash);
        int valid = 0;
        for (Map.Entry<Integer, byte[]> e : signatures.entrySet()) {
            int signer = e.getKey();
            if (signer < 0 || signer >= n || !members.get(signer).verify(Domain.FINALIZATION_SHARE, body, e.getValue())) {
                return false;
            }
            valid++;
        }
        return valid >= threshold;
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(48 + signatures.size() * 72);
        w.i64(height).hash(blockHash).u32(signatures.size());
        signatures.forEach((k, v) -> w.u32(k).fixed(v));
        return w.toByteArray();
    }

    public static FinalityProof decode(byte[] bytes) throws DecodeException {
        CanonicalReader r = new CanonicalReader(bytes);
        FinalityProof proof = read(r, 0, 1 << 16, "signers not strictly increasing");
        r.expectEnd();
        return proof;
    }

    /** Its fields as {@link #encode()} writes them, which is also the body of a consensus finalization frame. */
    static FinalityProof read(CanonicalReader r, long minHeight, int maxSigners, String unordered) throws DecodeException {
        long height = r.i64(minHeight, Long.MAX_VALUE, "height");
        Hash hash = r.hash();
        int count = r.u32(maxSigners, "signature count");
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        int previous = -1;
        for (int i = 0; i < count; i++) {
            int at = r.offset();
            int signer = r.u32(maxSigners, "signer");
            if (signer <= previous) {
                throw new DecodeException(at, unordered);
            }
            previous = signer;
            sigs.put(signer, r.fixed(PublicKey.SIGNATURE_LENGTH));
        }
        return new FinalityProof(height, hash, sigs);
    }

    @Override
    public SortedMap<Integer, byte[]> signatures() {
        return signatures;
    }

    @Override
    public String toString() {
        return "FinalityProof[h=" + height + ", " + blockHash + ", signers=" + signatures.keySet() + "]";
    }
}
