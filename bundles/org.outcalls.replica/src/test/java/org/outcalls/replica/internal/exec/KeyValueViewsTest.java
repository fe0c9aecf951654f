package org.outcalls.replica.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.canister.KeyValueState;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.replica.internal.state.HashedMap;

class KeyValueViewsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> scan(KeyValueState s, String prefix, String after, int limit) {
        List<String> out = new ArrayList<>();
        s.scan(prefix, after, limit, (k, v) -> out.add(k + "=" + new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    private final HashedMap base = new HashedMap("kv");

    {
        base.put("a/1", b("x"));
        base.put("a/2", b("y"));
        base.put("a/4", b("z"));
        base.put("b/1", b("w"));
    }

    @Test
    void aTransactionSeesItsOwnWritesOverTheBaseAndCommitsThem() {
        KeyValueViews.Transaction tx = new KeyValueViews.Transaction(base);
        tx.put("a/3", b("new"));
        tx.delete("a/2");
        tx.put("a/4", b("changed"));
        tx.delete("never-there");
        assertEquals(List.of("a/1=x", "a/3=new", "a/4=changed"), scan(tx, "a/", null, 10));
        assertEquals(List.of("a/3=new", "a/4=changed"), scan(tx, "a/", "a/1", 10));
        assertEquals(List.of("a/3=new"), scan(tx, "a/", "a/2", 1));
        assertEquals(List.of("a/1=x", "a/3=new", "a/4=changed", "b/1=w"), scan(tx, "", null, 10));
        assertEquals(List.of("a/1=x"), scan(tx, "a/", "0", 1), "afterKey before the prefix");
        assertEquals(List.of(), scan(tx, "a/", "a/9", 10));
        assertEquals(4, tx.size());
        assertEquals("x", new String(base.get("a/1"), StandardCharsets.UTF_8));
        assertTrue(base.containsKey("a/2"), "nothing reaches the base before commit");

        tx.commit();
        assertEquals(List.of("a/1", "a/3", "a/4", "b/1"), new ArrayList<>(base.entries().keySet()));
        assertEquals("changed", new String(base.get("a/4"), StandardCharsets.UTF_8));
    }

    @Test
    void valuesAreCopiedInAndOut() {
        KeyValueViews.Transaction tx = new KeyValueViews.Transaction(base);
        byte[] v = b("abc");
        tx.put("k", v);
        v[0] = 'X';
        tx.get("k").orElseThrow()[1] = 'Y';
        assertEquals("abc", new String(tx.get("k").orElseThrow(), StandardCharsets.UTF_8));
        new KeyValueViews.ReadOnly(base).get("a/1").orElseThrow()[0] = 'Q';
        assertEquals("x", new String(base.get("a/1"), StandardCharsets.UTF_8));
    }

    @Test
    void keysAndValuesAreBounded() {
        KeyValueViews.Transaction tx = new KeyValueViews.Transaction(base);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tx.put("k".repeat(MutableKeyValueState.MAX_KEY_BYTES + 1), b("v")));
        assertTrue(e.getMessage().contains("1025 bytes; at most 1024"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> tx.put("k", new byte[MutableKeyValueState.MAX_VALUE_BYTES + 1]));
        assertTrue(e.getMessage().contains("at most " + MutableKeyValueState.MAX_VALUE_BYTES), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tx.put("bad\ud800", b("v")), "unpaired surrogate");
        assertThrows(IllegalArgumentException.class, () -> tx.put("k", null));
        assertThrows(IllegalArgumentException.class, () -> tx.scan("", null, -1, (k, v) -> { }));
    }

    @Test
    void theQueryViewIsReadOnly() {
        KeyValueState ro = new KeyValueViews.ReadOnly(base);
        assertFalse(ro instanceof MutableKeyValueState);
        assertEquals(List.of("a/1=x", "a/2=y"), scan(ro, "a/", null, 2));
        assertEquals(4, ro.size());
    }
}
