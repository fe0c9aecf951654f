package org.outcalls.crypto;

import java.util.List;

/**
 * One item's share of a batch signature: its position in the batch, the Merkle path from its
 * leaf to the root, and the signer's one signature over the root (see {@link BatchSigner}).
 *
 * @param index     the item's position in the batch, {@code [0, count)}
 * @param count     how many items the batch had (bound into the signed root)
 * @param path      sibling hashes from the leaf up to the root, leaf level first
 * @param signature Ed25519 signature over the root in {@link Domain#BATCH_ROOT}
 */
public record BatchSignature(int index, int count, List<Hash> path, byte[] signature) {
    /** At most this many items in one batch (a path is then at most 20 hashes). */
    public static final int MAX_COUNT = 1 << 20;
    public static final int MAX_PATH = 21;

    public BatchSignature {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count: must be 1.." + MAX_COUNT + ", got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("index: must be 0.." + (count - 1) + ", got " + index);
        }
        path = List.copyOf(path);
        if (path.size() > MAX_PATH) {
            throw new IllegalArgumentException("path: at most " + MAX_PATH + " hashes");
        }
        if (signature == null || signature.length != PublicKey.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature: must be " + PublicKey.SIGNATURE_LENGTH + " bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public void encode(CanonicalWriter w) {
        w.u32(index).u32(count).list(path, CanonicalWriter::hash).fixed(signature);
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(8 + 4 + path.size() * Hash.LENGTH + 64);
        encode(w);
        return w.toByteArray();
    }

    public static BatchSignature decode(CanonicalReader r) throws DecodeException {
        int at = r.offset();
        int index = r.u32(MAX_COUNT - 1, "batch index");
        int count = r.u32(MAX_COUNT, "batch count");
        List<Hash> path = r.list(MAX_PATH, "batch path", CanonicalReader::hash);
        byte[] sig = r.fixed(PublicKey.SIGNATURE_LENGTH);
        if (count < 1 || index >= count) {
            throw new DecodeException(at, "batch index " + index + " outside count " + count);
        }
        if (path.size() != BatchSigner.pathLength(index, count)) {
            throw new DecodeException(at, "batch path has " + path.size() + " hashes, expected "
                    + BatchSigner.pathLength(index, count));
        }
        return new BatchSignature(index, count, path, sig);
    }
}
