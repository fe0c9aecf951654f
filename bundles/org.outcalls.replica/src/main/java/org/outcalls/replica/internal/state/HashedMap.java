package org.outcalls.replica.internal.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
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
    private final TreeMap<Integer, Group> groups = new TreeMap<>();
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
        Group g = groups.computeIfAbsent(position[0] & 0xff, i -> new Group());
        Bucket b = g.buckets.computeIfAbsent(position[1] & 0xff, i -> new Bucket());
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
        Group g = groups.get(gi);
        Bucket b = g.buckets.get(bi);
        b.leaves.remove(key);
        b.hash = null;
        g.hash = null;
        if (b.leaves.isEmpty()) {
            g.buckets.remove(bi);
        }
        if (g.buckets.isEmpty()) {
            groups.remove(gi);
        }
        root = null;
    }

    /** The root hash over every entry; recomputes only the parts changed since the last call. */
    public byte[] rootHash() {
        if (root == null) {
            MessageDigest d = Sha256.newDigest();
            d.update(new CanonicalWriter(64).u8(3).string(domain).i64(values.size()).toByteArray());
            for (Map.Entry<Integer, Group> e : groups.entrySet()) {
                d.update((byte) e.getKey().intValue());
                d.update(e.getValue().hash());
            }
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

    private static int utf8Length(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length;
    }

    private static final class Group {
        final TreeMap<Integer, Bucket> buckets = new TreeMap<>();
        byte[] hash;

        byte[] hash() {
            if (hash == null) {
                MessageDigest d = Sha256.newDigest();
                d.update((byte) 2);
                for (Map.Entry<Integer, Bucket> e : buckets.entrySet()) {
                    d.update((byte) e.getKey().intValue());
                    d.update(e.getValue().hash());
                }
                hash = d.digest();
            }
            return hash;
        }
    }

    private static final class Bucket {
        /** Leaf hashes by key. */
        final TreeMap<String, byte[]> leaves = new TreeMap<>();
        byte[] hash;

        byte[] hash() {
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
