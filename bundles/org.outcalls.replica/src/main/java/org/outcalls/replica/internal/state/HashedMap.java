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
        b.hash = null;
        g.hash = null;
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
        b.hash = null;
        g.hash = null;
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
            d.update(indexedHashes(groups, 0, (byte) 0));
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

    /**
     * {@code [prefix] (index, hash)...} over the non-null nodes in index order, as one array: one
     * digest update of the whole run costs less than an update per byte and per hash.
     */
    private static byte[] indexedHashes(Node[] nodes, int prefixLength, byte prefix) {
        byte[] run = new byte[prefixLength + nodes.length * 33];
        int at = prefixLength;
        if (prefixLength == 1) {
            run[0] = prefix;
        }
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                run[at] = (byte) i;
                System.arraycopy(nodes[i].hash(), 0, run, at + 1, 32);
                at += 33;
            }
        }
        return java.util.Arrays.copyOf(run, at);
    }

    private interface Node {
        byte[] hash();
    }

    private static int utf8Length(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length;
    }

    private static final class Group implements Node {
        final Bucket[] buckets = new Bucket[256];
        int used;
        byte[] hash;

        @Override
        public byte[] hash() {
            if (hash == null) {
                hash = Sha256.hash(indexedHashes(buckets, 1, (byte) 2));
            }
            return hash;
        }
    }

    private static final class Bucket implements Node {
        /** Leaf hashes by key. */
        final TreeMap<String, byte[]> leaves = new TreeMap<>();
        byte[] hash;

        @Override
        public byte[] hash() {
            if (hash == null) {
                MessageDigest d = Sha256.newDigest();
                d.update((byte) 1);
                for (byte[] leaf : leaves.values()) {
                    d.update(leaf);
                }
                hash = d.digest();
            }
            return hash;
        }
    }

}
