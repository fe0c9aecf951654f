package org.outcalls.api.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentGroupTest {

    private static ShareView share(int signer, int hash, long size, boolean reject) {
        byte[] h = new byte[32];
        h[0] = (byte) hash; // 0x80 and above must sort after 0x7f: bytes compare unsigned
        return new ShareView(signer, h, size, reject, null);
    }

    private static int firstHashByte(ContentGroup g) {
        return g.contentHash()[0] & 0xff;
    }

    @Test
    void groupsAreLargestFirstAndTiesGoByHashBytesUnsigned() {
        List<ShareView> shares = List.of(share(0, 0x90, 3, false), share(1, 0x10, 3, false), share(2, 0x90, 3, false),
                share(3, 0x7f, 3, false), share(4, 0x05, 3, false), share(5, 0x10, 3, false), share(6, 0x90, 3, false));
        List<ContentGroup> groups = ContentGroup.group(shares);
        assertEquals(List.of(0x90, 0x10, 0x05, 0x7f), groups.stream().map(ContentGroupTest::firstHashByte).toList());
        assertEquals(List.of(3, 2, 1, 1), groups.stream().map(ContentGroup::size).toList());
        assertArrayEquals(new int[] {0, 2, 6}, groups.get(0).signers(3));
        assertArrayEquals(new int[] {0, 2}, groups.get(0).signers(2));
        assertArrayEquals(new int[] {1, 5}, groups.get(1).signers(10));
    }

    @Test
    void sizeAndKindSeparateSharesOfOneHashAndOrderTiesAfterTheHash() {
        List<ContentGroup> groups = ContentGroup.group(List.of(share(0, 1, 7, true), share(1, 1, 7, false),
                share(2, 1, 5, false), share(3, 1, 7, false)));
        assertEquals(3, groups.size());
        assertArrayEquals(new int[] {1, 3}, groups.get(0).signers(2));
        assertArrayEquals(new int[] {2}, groups.get(1).signers(1)); // size 5 before size 7
        assertArrayEquals(new int[] {0}, groups.get(2).signers(1)); // a reject after the response of its size
        assertTrue(groups.get(2).reject());
        assertFalse(groups.get(0).reject());
    }

    @Test
    void theOrderDoesNotDependOnTheOrderOfTheInputBeyondTheOrderWithinAGroup() {
        List<ShareView> shares = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            shares.add(share(i, i % 7 * 37, i % 3, i % 5 == 0));
        }
        List<ContentGroup> expected = ContentGroup.group(shares);
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            List<ShareView> shuffled = new ArrayList<>(shares);
            Collections.shuffle(shuffled, random);
            List<ContentGroup> groups = ContentGroup.group(shuffled);
            assertEquals(expected.size(), groups.size());
            for (int g = 0; g < groups.size(); g++) {
                assertEquals(0, ContentGroup.BY_CONTENT.compare(expected.get(g), groups.get(g)));
                assertEquals(expected.get(g).size(), groups.get(g).size());
            }
        }
    }

    @Test
    void noSharesNoGroupsAndAGroupHoldsOneContentOnly() {
        assertEquals(List.of(), ContentGroup.group(List.of()));
        assertEquals("shares: a content group has at least one share",
                assertThrows(IllegalArgumentException.class, () -> new ContentGroup(List.of())).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ContentGroup(List.of(share(0, 1, 1, false), share(1, 2, 1, false))));
        assertTrue(e.getMessage().startsWith("shares: ShareView[signer 1, 02"), e.getMessage());
    }
}
