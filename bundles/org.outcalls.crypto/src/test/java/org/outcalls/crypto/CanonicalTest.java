package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalTest {

    @Test
    void everyTypeRoundTripsBigEndian() throws DecodeException {
        Hash h = Hash.sha256(new byte[] {7});
        byte[] bytes = new CanonicalWriter(4).u8(255).bool(true).u16(0xABCD).i32(-2).u32(7).i64(Long.MIN_VALUE)
                .hash(h).bytes(new byte[] {9, 8}).string("zoë").list(List.of(1L, 2L), CanonicalWriter::i64).toByteArray();
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD}, java.util.Arrays.copyOfRange(bytes, 2, 4));
        CanonicalReader r = new CanonicalReader(bytes);
        assertEquals(255, r.u8());
        assertTrue(r.bool());
        assertEquals(0xABCD, r.u16());
        assertEquals(-2, r.i32());
        assertEquals(7, r.u32(10, "x"));
        assertEquals(Long.MIN_VALUE, r.i64());
        assertEquals(h, r.hash());
        assertArrayEquals(new byte[] {9, 8}, r.bytes(2, "b"));
        assertEquals("zoë", r.string(4, "s"));
        assertEquals(List.of(1L, 2L), r.list(2, "l", CanonicalReader::i64));
        r.expectEnd();
    }

    @Test
    void optionalBytesRoundTripAndAPresenceFlagOtherThanZeroOrOneIsRefused() throws DecodeException {
        byte[] bytes = new CanonicalWriter(4).optionalBytes(null).optionalBytes(new byte[] {5}).toByteArray();
        assertArrayEquals(new byte[] {0, 1, 0, 0, 0, 1, 5}, bytes);
        CanonicalReader r = new CanonicalReader(bytes);
        assertEquals(null, r.optionalBytes(1, "absent"));
        assertArrayEquals(new byte[] {5}, r.optionalBytes(1, "present"));
        r.expectEnd();
        DecodeException e = assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[] {2}).optionalBytes(1, "cup"));
        assertEquals("cup: presence flag must be 0 or 1 (at byte 0)", e.getMessage());
    }

    @Test
    void malformedInputIsADecodeExceptionWithTheOffset() {
        DecodeException e = assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[] {0, 0, 0, 5, 1}).bytes(100, "body"));
        assertEquals(4, e.offset());
        e = assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[] {0, 0, 1, 0}).bytes(10, "body"));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("body length"), e.getMessage());
        e = assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[] {(byte) 0xFF, 0, 0, 0}).u32(10, "count"));
        assertEquals(0, e.offset());
        assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[] {2}).bool());
        assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[] {0, 0, 0, 2, (byte) 0xC3, 0x28}).string(10, "s"));
        CanonicalReader trailing = new CanonicalReader(new byte[] {1, 2});
        assertThrows(DecodeException.class, () -> {
            trailing.u8();
            trailing.expectEnd();
        });
        assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[3]).i64());
        assertThrows(DecodeException.class, () -> new CanonicalReader(new byte[8]).i64(1, 5, "height"));
    }

    @Test
    void hugeDeclaredCountsAllocateNothing() {
        byte[] b = new CanonicalWriter().u32(Integer.MAX_VALUE).toByteArray();
        assertThrows(DecodeException.class, () -> new CanonicalReader(b).list(1000, "items", CanonicalReader::i64));
        assertThrows(DecodeException.class, () -> new CanonicalReader(b).bytes(Integer.MAX_VALUE, "blob"));
    }

    @Test
    void hashesOrderAsUnsignedBytesAndPrintAsHex() {
        Hash low = Hash.wrap(new byte[32]);
        byte[] hi = new byte[32];
        hi[0] = (byte) 0x80;
        Hash high = Hash.wrap(hi);
        assertTrue(low.compareTo(high) < 0);
        assertEquals(high, Hash.fromHex(high.hex()));
        assertEquals("80000000", high.shortHex());
        assertFalse(Hash.of(Domain.BLOCK, new byte[0]).equals(Hash.of(Domain.NODE_ID, new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> Hash.wrap(new byte[31]));
    }
}
