package org.outcalls.replica.internal.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.replica.internal.codec.Sha256;

/**
 * A sorted map from text keys to bytes whose root hash is kept up to date incrementally.
 *
 * <p>The hash has a fixed shape that depends only on the entries, never on the order they were
 * written in: each entry is a leaf {@code H(key, value)}; a leaf sits in one of 256×256 buckets
 * chosen by the first two bytes of {@code H(key)}; a bucket hashes its leaves in key order, a
 * group its 256 buckets, the root the 256 groups. A change re-hashes its leaf, its bucket, its
 * group and the root — a few kilobytes whatever the map's size — instead of the whole map.
 *
 * <p>Values are stored as given: callers hand in arrays they no longer touch and copy what they
 * hand out.
 */
public final class HashedMap {
    private final String domain;
    private final TreeMap<String, byte[]> values = new TreeMap<>();
    /** Indexed by the first byte of a key's position; null where no key falls. Arrays, not maps: the hash walks them in index order at every block. */
    private final Group[] groups = new Group[256];
    private long totalValueBytes;
    private byte[] root;

    public HashedMap(String domain) {
        this.domain = domain;
    }

    public String domain() {
        return domain;
    }

    public byte[] get(String key) {
        return values.get(key);
    }

    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    public int size() {
        return values.size();
    }

    /** Sum of key (UTF-8) and value bytes, for accounting. */
    public long totalBytes() {
        return totalValueBytes;
    }

    /** The entries in key order, read-only. */
    public NavigableMap<String, byte[]> entries() {
        return Collections.unmodifiableNavigableMap(values);
    }

    public void put(String key, byte[] value) {
        byte[] old = values.put(key, value);
        totalValueBytes += old == null ? utf8Length(key) + value.length : value.length - old.length;
        byte[] position = Sha256.hash(key.getBytes(StandardCharsets.UTF_8));
        int gi = position[0] & 0xff;
        int bi = position[1] & 0xff;
        Group g = groups[gi];
        if (g == null) {
            g = groups[gi] = new Group();
        }
        Bucket b = g.buckets[bi];
        if (b == null) {
            b = g.buckets[bi] = new Bucket();
            g.used++;
        }
        b.leaves.put(key, leafHash(key, value));
        g.changed(bi);
        root = null;
    }

    public void remove(String key) {
        byte[] old = values.remove(key);
        if (old == null) {
            return;
        }
        totalValueBytes -= old.length + utf8Length(key);
        byte[] position = Sha256.hash(key.getBytes(StandardCharsets.UTF_8));
        int gi = position[0] & 0xff;
        int bi = position[1] & 0xff;
        Group g = groups[gi];
        Bucket b = g.buckets[bi];
        b.leaves.remove(key);
        g.changed(bi);
        if (b.leaves.isEmpty()) {
            g.buckets[bi] = null;
            g.used--;
        }
        if (g.used == 0) {
            groups[gi] = null;
        }
        root = null;
    }

    /** The root hash over every entry; recomputes only the parts changed since the last call. */
    public byte[] rootHash() {
        if (root == null) {
            MessageDigest d = Sha256.newDigest();
            d.update(new CanonicalWriter(64).u8(3).string(domain).i64(values.size()).toByteArray());
            d.update(groupHashes());
            root = d.digest();
        }
        return root.clone();
    }

    private static byte[] leafHash(String key, byte[] value) {
        MessageDigest d = Sha256.newDigest();
        d.update(new CanonicalWriter(key.length() + 16).u8(0).string(key).u32(value.length).toByteArray());
        d.update(value);
        return d.digest();
    }

    /** {@code (index, hash)...} over the groups present, in index order. */
    private byte[] groupHashes() {
        byte[] run = new byte[groups.length * 33];
        int at = 0;
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] != null) {
                run[at] = (byte) i;
                System.arraycopy(groups[i].hash(), 0, run, at + 1, 32);
                at += 33;
            }
        }
        return java.util.Arrays.copyOf(run, at);
    }

    private static int utf8Length(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * 256 buckets. Their hashes sit side by side in one array and only a changed bucket is hashed
     * again: a group's hash reads every bucket's hash, and reading them from 256 objects spread
     * over the heap cost more than hashing the group (cache misses on a large map).
     */
    private static final class Group {
        final Bucket[] buckets = new Bucket[256];
        final byte[] bucketHashes = new byte[256 * 32];
        final long[] changed = new long[4];
        int used;
        byte[] hash;

        void changed(int bucket) {
            changed[bucket >>> 6] |= 1L << bucket;
            hash = null;
        }

        byte[] hash() {
            if (hash == null) {
                for (int word = 0; word < changed.length; word++) {
                    for (long bits = changed[word]; bits != 0; bits &= bits - 1) {
                        int i = word * 64 + Long.numberOfTrailingZeros(bits);
                        if (buckets[i] != null) {
                            buckets[i].hashInto(bucketHashes, i * 32);
                        }
                    }
                    changed[word] = 0;
                }
                byte[] run = new byte[1 + buckets.length * 33];
                run[0] = 2;
                int at = 1;
                for (int i = 0; i < buckets.length; i++) {
                    if (buckets[i] != null) {
                        run[at] = (byte) i;
                        System.arraycopy(bucketHashes, i * 32, run, at + 1, 32);
                        at += 33;
                    }
                }
                hash = Sha256.hash(java.util.Arrays.copyOf(run, at));
            }
            return hash;
        }
    }

    private static final class Bucket {
        /** Leaf hashes by key. */
        final TreeMap<String, byte[]> leaves = new TreeMap<>();

        void hashInto(byte[] dst, int offset) {
            MessageDigest d = Sha256.newDigest();
            d.update((byte) 1);
            for (byte[] leaf : leaves.values()) {
                d.update(leaf);
            }
            try {
                d.digest(dst, offset, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("SHA-256 gave no 32-byte digest", e);
            }
        }
    }
}
