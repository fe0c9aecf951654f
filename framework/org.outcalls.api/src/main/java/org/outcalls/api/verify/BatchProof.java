package org.outcalls.api.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * One item's part of a replica's batch signature: the replica signed, once, the root of a Merkle
 * tree whose leaves are the items of a batch; the item carries its position and the path to the
 * root (as {@code org.outcalls.crypto.BatchSigner} makes them).
 *
 * <p>Leaf = SHA-256(0x00 || item domain prefix || item); inner node = SHA-256(0x01 || left ||
 * right); at a level with an odd number of nodes the last one moves up unchanged. The signed
 * message is {@link Domains#batchRoot()} || item domain prefix || u32 count || root.
 *
 * @param index     the item's position in the batch, {@code [0, count)}
 * @param count     the number of items in the batch
 * @param path      the sibling hashes (32 bytes each) from the leaf up, leaf level first
 * @param signature the 64-byte Ed25519 signature over the root
 */
public record BatchProof(int index, int count, List<byte[]> path, byte[] signature) {
    /** At most this many items in one batch. */
    public static final int MAX_COUNT = 1 << 20;
    /** At most this many hashes in a path. */
    public static final int MAX_PATH = 21;

    public BatchProof {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("batch count: must be 1.." + MAX_COUNT + ", got " + count);
        }
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("batch index: must be 0.." + (count - 1) + ", got " + index);
        }
        List<byte[]> copy = new ArrayList<>(path.size());
        for (byte[] h : path) {
            if (h.length != 32) {
                throw new IllegalArgumentException("batch path: every hash must be 32 bytes");
            }
            copy.add(h.clone());
        }
        if (copy.size() > MAX_PATH) {
            throw new IllegalArgumentException("batch path: at most " + MAX_PATH + " hashes");
        }
        path = List.copyOf(copy);
        if (signature == null || signature.length != Ed25519.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("batch signature: must be " + Ed25519.SIGNATURE_LENGTH + " bytes");
        }
        signature = signature.clone();
    }

    @Override
    public List<byte[]> path() {
        return path.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Reads {@code u32 index, u32 count, list of hashes, 64 signature bytes}; the path must fit the position. */
    static BatchProof read(CanonicalInput in) throws DocumentException {
        int at = in.offset();
        int index = in.u32(MAX_COUNT - 1, "batch index");
        int count = in.u32(MAX_COUNT, "batch count");
        List<byte[]> path = in.list(MAX_PATH, "batch path", r -> r.fixed(32));
        byte[] signature = in.fixed(Ed25519.SIGNATURE_LENGTH);
        if (count < 1 || index >= count) {
            throw in.error(at, "batch index " + index + " outside count " + count);
        }
        if (path.size() != pathLength(index, count)) {
            throw in.error(at, "batch path has " + path.size() + " hashes, expected " + pathLength(index, count));
        }
        return new BatchProof(index, count, path, signature);
    }

    /** How many sibling hashes the path of item {@code index} in a batch of {@code count} has. */
    public static int pathLength(int index, int count) {
        int n = 0;
        int idx = index;
        int size = count;
        while (size > 1) {
            if (sibling(idx) < size) {
                n++;
            }
            idx /= 2;
            size = (size + 1) / 2;
        }
        return n;
    }

    /** The root {@code item} and the path lead to, or null if the path does not fit the position. */
    public byte[] rootOf(byte[] itemDomainPrefix, byte[] item) {
        byte[] h = Hex.sha256(new byte[] {0}, itemDomainPrefix, item);
        int idx = index;
        int size = count;
        int p = 0;
        while (size > 1) {
            if (sibling(idx) < size) {
                if (p >= path.size()) {
                    return null;
                }
                h = idx % 2 == 0 ? node(h, path.get(p)) : node(path.get(p), h);
                p++;
            }
            idx /= 2;
            size = (size + 1) / 2;
        }
        return p == path.size() ? h : null;
    }

    /** True if the holder of {@code publicKey} signed {@code item} (in the given item domain) in this batch. */
    public boolean verify(byte[] publicKey, byte[] itemDomainPrefix, byte[] item) {
        byte[] root = rootOf(itemDomainPrefix, item);
        if (root == null) {
            return false;
        }
        byte[] message = new CanonicalOutput().fixed(Domains.batchRoot()).fixed(itemDomainPrefix).u32(count).fixed(root)
                .toByteArray();
        return Ed25519.verify(publicKey, message, signature);
    }

    private static int sibling(int idx) {
        return idx % 2 == 0 ? idx + 1 : idx - 1;
    }

    private static byte[] node(byte[] left, byte[] right) {
        return Hex.sha256(new byte[] {1}, left, right);
    }
}
