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
}
