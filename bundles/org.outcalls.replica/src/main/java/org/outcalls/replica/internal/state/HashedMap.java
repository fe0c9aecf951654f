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
 * hand out. Not thread-safe, not even for two threads hashing at once: a group rewrites the bytes
 * its hash covers as it hashes.
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
            g.layoutChanged = true;
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
            g.layoutChanged = true;
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
     * 256 buckets, and the bytes its hash covers ({@code 2 (index, bucket hash)...}) kept between
     * blocks: a changed bucket's hash is written over its old one in place, and the run is laid out
     * again only when a bucket comes or goes. Rebuilding the run from 256 bucket objects spread over
     * the heap at every block cost more than hashing it (cache misses on a large map).
     */
    private static final class Group {
        final Bucket[] buckets = new Bucket[256];
        final long[] changed = new long[4];
        byte[] run = {2};
        boolean layoutChanged;
        int used;
        byte[] hash;

        void changed(int bucket) {
            changed[bucket >>> 6] |= 1L << bucket;
            hash = null;
        }

        private boolean isChanged(int bucket) {
            return (changed[bucket >>> 6] & 1L << bucket) != 0;
        }

        byte[] hash() {
            if (hash == null) {
                if (layoutChanged) {
                    layOut();
                } else {
                    rehashChanged();
                }
                java.util.Arrays.fill(changed, 0);
                hash = Sha256.hash(run);
            }
            return hash;
        }

        /** The buckets present are those of the run: each changed one is hashed into its place. */
        private void rehashChanged() {
            int at = 1;
            for (int i = 0; i < buckets.length; i++) {
                if (buckets[i] != null) {
                    if (isChanged(i)) {
                        buckets[i].hashInto(run, at + 1);
                    }
                    at += 33;
                }
            }
        }

        /** A new run in index order; an unchanged bucket's hash is copied from the old run. */
        private void layOut() {
            byte[] old = run;
            byte[] next = new byte[1 + used * 33];
            next[0] = 2;
            int from = 1;
            int at = 1;
            for (int i = 0; i < buckets.length; i++) {
                if (buckets[i] == null) {
                    continue;
                }
                while (from < old.length && (old[from] & 0xff) < i) {
                    from += 33;
                }
                next[at] = (byte) i;
                if (!isChanged(i) && from < old.length && (old[from] & 0xff) == i) {
                    System.arraycopy(old, from + 1, next, at + 1, 32);
                } else {
                    buckets[i].hashInto(next, at + 1);
                }
                at += 33;
            }
            run = next;
            layoutChanged = false;
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
