package org.outcalls.api.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical reader is as strict as the replicas' own: every bound and every malformation is an error with its offset. */
class CanonicalInputTest {
    private static CanonicalInput in(byte[] b) {
        return new CanonicalInput(b, "certificate");
    }

    @Test
    void readsWhatTheWriterWrote() throws Exception {
        byte[] b = new CanonicalOutput().u8(7).bool(true).u16(65535).u32(12).i64(-3).string("héllo").bytes(new byte[] {1, 2})
                .u32(2).string("a").string("b").fixed(new byte[32]).toByteArray();
        CanonicalInput r = in(b);
        assertEquals(7, r.u8());
        assertTrue(r.bool());
        assertEquals(65535, r.u16());
        assertEquals(12, r.u32(12, "n"));
        assertEquals(-3, r.i64(Long.MIN_VALUE, Long.MAX_VALUE, "i"));
        assertEquals("héllo", r.string(6, "s"));
        assertArrayEquals(new byte[] {1, 2}, r.bytes(2, "b"));
        assertEquals(List.of("a", "b"), r.list(2, "l", x -> x.string(1, "e")));
        assertEquals("0".repeat(64), r.hash());
        r.expectEnd();
    }

    @Test
    void everyMalformationIsAnErrorNamingItsOffset() {
        assertError(new byte[] {}, r -> r.u8(), "truncated u8: need 1 bytes, have 0 (at byte 0)");
        assertError(new byte[] {2}, r -> r.bool(), "boolean must be 0 or 1, got 2 (at byte 0)");
        assertError(new byte[] {0, 0, 0, 5}, r -> r.u32(4, "count"), "count must be 0..4, got 5 (at byte 0)");
        assertError(new byte[] {(byte) 0xff, 0, 0, 0}, r -> r.u32(Integer.MAX_VALUE, "count"),
                "count must be 0..2147483647, got 4278190080");
        assertError(new byte[] {0, 0, 0, 3, 'a'}, r -> r.bytes(10, "body"), "truncated body: need 3 bytes, have 1");
        assertError(new byte[] {0, 0, 0, 2, (byte) 0xc3, 0x28}, r -> r.string(10, "name"), "name is not valid UTF-8 (at byte 0)");
        assertError(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}, r -> r.i64(0, 8, "size"), "size must be 0..8, got 9");
        assertError(new byte[] {1, 2}, r -> {
            r.u8();
            r.expectEnd();
            return null;
        }, "1 unexpected trailing bytes (at byte 1)");
    }

    private interface Read {
        Object apply(CanonicalInput r) throws DocumentException;
    }

    private static void assertError(byte[] bytes, Read read, String message) {
        DocumentException e = assertThrows(DocumentException.class, () -> read.apply(in(bytes)));
        assertEquals("certificate", e.field());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
