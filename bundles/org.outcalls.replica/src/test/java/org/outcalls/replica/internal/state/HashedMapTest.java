package org.outcalls.replica.internal.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashedMapTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theHashDependsOnTheEntriesNotOnTheOrderTheyWereWritten() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            keys.add("key/" + i);
        }
        HashedMap a = new HashedMap("kv");
        keys.forEach(k -> a.put(k, b("v" + k)));
        Collections.shuffle(keys, new Random(42));
        HashedMap b = new HashedMap("kv");
        keys.forEach(k -> b.put(k, b("junk")));
        b.rootHash();
        keys.forEach(k -> b.put(k, b("v" + k)));
        b.put("extra", b("x"));
        b.rootHash();
        b.remove("extra");
        assertArrayEquals(a.rootHash(), b.rootHash());
        assertEquals(a.size(), b.size());
        assertEquals(a.totalBytes(), b.totalBytes());
    }

    @Test
    void everyChangeChangesTheHash() {
        HashedMap m = new HashedMap("kv");
        byte[] empty = m.rootHash();
        m.put("a", b("1"));
        byte[] one = m.rootHash();
        assertFalse(Arrays.equals(empty, one));
        m.put("a", b("2"));
        assertFalse(Arrays.equals(one, m.rootHash()), "value");
        m.put("a", b("1"));
        assertArrayEquals(one, m.rootHash());
        m.remove("a");
        assertArrayEquals(empty, m.rootHash());
        m.remove("absent");
        assertArrayEquals(empty, m.rootHash());

        HashedMap x = new HashedMap("kv");
        x.put("ab", b("c"));
        HashedMap y = new HashedMap("kv");
        y.put("a", b("bc"));
        assertFalse(Arrays.equals(x.rootHash(), y.rootHash()), "key/value boundary");
        assertFalse(Arrays.equals(new HashedMap("kv").rootHash(), new HashedMap("other").rootHash()), "domain");
    }

    @Test
    void entriesAreSortedByKey() {
        HashedMap m = new HashedMap("kv");
        m.put("b", b("2"));
        m.put("a", b("1"));
        m.put("c", b("3"));
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(m.entries().keySet()));
    }

    @Test
    void theIncrementalHashEqualsTheDocumentedShapeComputedFromScratch() throws Exception {
        HashedMap m = new HashedMap("kv");
        Random random = new Random(7);
        java.util.TreeMap<String, byte[]> expected = new java.util.TreeMap<>();
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 500; i++) {
                String key = "k" + random.nextInt(3000);
                if (random.nextInt(4) == 0) {
                    m.remove(key);
                    expected.remove(key);
                } else {
                    byte[] value = b("v" + random.nextLong());
                    m.put(key, value);
                    expected.put(key, value);
                }
            }
            assertArrayEquals(fromScratch("kv", expected), m.rootHash(), "round " + round);
        }
    }

    /**
     * A group keeps the bytes its hash covers between calls and writes a changed bucket's hash in
     * place; the run is laid out again only when a bucket comes or goes. Both ways, on a map large
     * enough that most buckets hold several entries, the hash stays the one computed from scratch.
     */
    @Test
    void valueChangesAndBucketsThatComeAndGoKeepTheDocumentedShape() throws Exception {
        HashedMap m = new HashedMap("kv");
        java.util.TreeMap<String, byte[]> expected = new java.util.TreeMap<>();
        for (int i = 0; i < 200_000; i++) {
            m.put("k" + i, b("v" + i));
            expected.put("k" + i, b("v" + i));
        }
        assertArrayEquals(fromScratch("kv", expected), m.rootHash());
        Random random = new Random(11);
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 300; i++) { // values of present keys only: no bucket comes or goes
                String key = "k" + random.nextInt(200_000);
                if (expected.containsKey(key)) {
                    m.put(key, b("w" + random.nextLong()));
                    expected.put(key, m.get(key));
                }
            }
            assertArrayEquals(fromScratch("kv", expected), m.rootHash(), "values, round " + round);
            for (int i = 0; i < 300; i++) { // removals empty some buckets, new keys fill others
                String key = "k" + random.nextInt(400_000);
                if (random.nextBoolean()) {
                    m.remove(key);
                    expected.remove(key);
                } else {
                    m.put(key, b("x" + i));
                    expected.put(key, b("x" + i));
                }
            }
            assertArrayEquals(fromScratch("kv", expected), m.rootHash(), "layout, round " + round);
        }
        HashedMap rebuilt = new HashedMap("kv");
        expected.forEach(rebuilt::put);
        assertArrayEquals(rebuilt.rootHash(), m.rootHash());
    }

    /** A bucket, and with it its group, that goes and comes back between two hashes, or within one. */
    @Test
    void aBucketAndItsGroupThatGoAndComeBackKeepTheDocumentedShape() throws Exception {
        HashedMap m = new HashedMap("kv");
        java.util.TreeMap<String, byte[]> expected = new java.util.TreeMap<>();
        for (String k : List.of("a", "b", "c")) {
            m.put(k, b(k));
            expected.put(k, b(k));
        }
        assertArrayEquals(fromScratch("kv", expected), m.rootHash());
        m.remove("b"); // three keys in three groups: its bucket and its group go
        expected.remove("b");
        assertArrayEquals(fromScratch("kv", expected), m.rootHash());
        m.put("b", b("b2"));
        expected.put("b", b("b2"));
        assertArrayEquals(fromScratch("kv", expected), m.rootHash());
        m.remove("c"); // gone and back within one hash, with another value
        m.put("c", b("c2"));
        expected.put("c", b("c2"));
        assertArrayEquals(fromScratch("kv", expected), m.rootHash());
    }

    /** The hash as the class comment defines it: leaves in 256 x 256 buckets by H(key), buckets, groups, root. */
    private static byte[] fromScratch(String domain, java.util.TreeMap<String, byte[]> entries) throws Exception {
        java.util.TreeMap<Integer, java.util.TreeMap<Integer, java.util.TreeMap<String, byte[]>>> tree = new java.util.TreeMap<>();
        for (var e : entries.entrySet()) {
            byte[] position = sha(b(e.getKey()));
            java.security.MessageDigest leaf = java.security.MessageDigest.getInstance("SHA-256");
            leaf.update(new org.outcalls.crypto.CanonicalWriter(16).u8(0).string(e.getKey()).u32(e.getValue().length).toByteArray());
            leaf.update(e.getValue());
            tree.computeIfAbsent(position[0] & 0xff, k -> new java.util.TreeMap<>())
                    .computeIfAbsent(position[1] & 0xff, k -> new java.util.TreeMap<>()).put(e.getKey(), leaf.digest());
        }
        java.security.MessageDigest root = java.security.MessageDigest.getInstance("SHA-256");
        root.update(new org.outcalls.crypto.CanonicalWriter(64).u8(3).string(domain).i64(entries.size()).toByteArray());
        for (var group : tree.entrySet()) {
            java.security.MessageDigest g = java.security.MessageDigest.getInstance("SHA-256");
            g.update((byte) 2);
            for (var bucket : group.getValue().entrySet()) {
                java.security.MessageDigest bd = java.security.MessageDigest.getInstance("SHA-256");
                bd.update((byte) 1);
                bucket.getValue().values().forEach(bd::update);
                g.update((byte) bucket.getKey().intValue());
                g.update(bd.digest());
            }
            root.update((byte) group.getKey().intValue());
            root.update(g.digest());
        }
        return root.digest();
    }

    private static byte[] sha(byte[] data) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    }
}
