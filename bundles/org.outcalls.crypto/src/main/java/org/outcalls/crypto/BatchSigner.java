package org.outcalls.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * Signs many items with one signature: the items are the leaves of a Merkle tree, the signer
 * signs the root (with the items' domain and their count) once, and each item carries its path
 * to the root. Verifying n items from one signer costs one signature check plus n·log n hashes
 * (see {@link BatchVerifier}, which remembers verified roots).
 *
 * <p>Leaf = SHA-256(0x00 || itemDomain.prefix() || item); inner node = SHA-256(0x01 || left ||
 * right); at a level with an odd number of nodes the last one moves up unchanged. The signed
 * message is {@link Domain#BATCH_ROOT} over {@code itemDomain.prefix() || u32 count || root}.
 */
public final class BatchSigner {
    /** Never written to: only read by the digest. */
    private static final byte[] LEAF_TAG = {0};
    private static final byte[] NODE_TAG = {1};

    private BatchSigner() {
    }

    /** One {@link BatchSignature} per item, in the items' order. */
    public static List<BatchSignature> sign(NodeKey key, Domain itemDomain, List<byte[]> items) {
        int count = items.size();
        if (count < 1 || count > BatchSignature.MAX_COUNT) {
            throw new IllegalArgumentException("items: must be 1.." + BatchSignature.MAX_COUNT + ", got " + count);
        }
        List<List<Hash>> levels = new ArrayList<>();
        List<Hash> level = new ArrayList<>(count);
        for (byte[] item : items) {
            level.add(leaf(itemDomain, item));
        }
        levels.add(level);
        while (level.size() > 1) {
            List<Hash> up = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i < level.size(); i += 2) {
                up.add(i + 1 < level.size() ? node(level.get(i), level.get(i + 1)) : level.get(i));
            }
            levels.add(up);
            level = up;
        }
        Hash root = level.get(0);
        byte[] signature = key.sign(Domain.BATCH_ROOT, rootBody(itemDomain, count, root));
        List<BatchSignature> out = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            List<Hash> path = new ArrayList<>();
            int idx = index;
            for (int l = 0; l < levels.size() - 1; l++) {
                List<Hash> lv = levels.get(l);
                int sibling = (idx % 2 == 0) ? idx + 1 : idx - 1;
                if (sibling < lv.size()) {
                    path.add(lv.get(sibling));
                }
                idx /= 2;
            }
            out.add(new BatchSignature(index, count, path, signature));
        }
        return out;
    }

    static Hash leaf(Domain itemDomain, byte[] item) {
        return Hash.sha256(LEAF_TAG, itemDomain.prefix(), item);
    }

    static Hash node(Hash left, Hash right) {
        return Hash.sha256(NODE_TAG, left.raw(), right.raw());
    }

    static byte[] rootBody(Domain itemDomain, int count, Hash root) {
        return new CanonicalWriter(64).fixed(itemDomain.prefix()).u32(count).hash(root).toByteArray();
    }

    /** How many sibling hashes the path of item {@code index} in a batch of {@code count} has. */
    static int pathLength(int index, int count) {
        int n = 0;
        int idx = index;
        int size = count;
        while (size > 1) {
            int sibling = (idx % 2 == 0) ? idx + 1 : idx - 1;
            if (sibling < size) {
                n++;
            }
            idx /= 2;
            size = (size + 1) / 2;
        }
        return n;
    }

    /** The root that {@code item} and its path lead to, or null if the path has the wrong shape. */
    static Hash rootOf(Domain itemDomain, byte[] item, BatchSignature sig) {
        Hash h = leaf(itemDomain, item);
        int idx = sig.index();
        int size = sig.count();
        int p = 0;
        List<Hash> path = sig.path();
        while (size > 1) {
            boolean even = idx % 2 == 0;
            int sibling = even ? idx + 1 : idx - 1;
            if (sibling < size) {
                if (p >= path.size()) {
                    return null;
                }
                h = even ? node(h, path.get(p)) : node(path.get(p), h);
                p++;
            }
            idx /= 2;
            size = (size + 1) / 2;
        }
        return p == path.size() ? h : null;
    }
}
