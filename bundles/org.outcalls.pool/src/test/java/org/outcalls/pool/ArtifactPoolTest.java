package org.outcalls.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.Hash;

class ArtifactPoolTest {
    record Item(Hash id, long height, int sizeBytes) implements PoolArtifact {
        static Item of(long n, long height, int size) {
            return new Item(Hash.sha256(ByteBuffer.allocate(8).putLong(n).array()), height, size);
        }
    }

    static final PoolLimits LIMITS = new PoolLimits(3, 1000, 10, 100, 16);

    @Test
    void admitsOnlyNewArtifactsInsideTheHeightWindow() {
        ArtifactPool<Item> pool = new ArtifactPool<>(2, LIMITS);
        pool.purgeBelow(5);
        assertEquals(Admission.BELOW_WINDOW, pool.offer(0, Item.of(1, 4, 10)));
        assertEquals(Admission.ADMITTED, pool.offer(0, Item.of(2, 5, 10)));
        assertEquals(Admission.ADMITTED, pool.offer(0, Item.of(3, 14, 10)));
        assertEquals(Admission.ABOVE_WINDOW, pool.offer(0, Item.of(4, 15, 10)));
        assertEquals(Admission.DUPLICATE, pool.offer(1, Item.of(2, 5, 10)), "same id from another peer");
        var u = pool.unvalidated(10).get(0);
        assertTrue(pool.accept(u));
        assertEquals(Admission.DUPLICATE, pool.offer(1, Item.of(2, 5, 10)), "already validated");
        assertEquals(List.of(u.artifact()), pool.validatedAt(5));
    }

    @Test
    void findsTheFirstValidatedArtifactAtAHeightThatMatches() {
        ArtifactPool<Item> pool = new ArtifactPool<>(2, LIMITS);
        Item small = Item.of(1, 7, 10);
        Item large = Item.of(2, 7, 500);
        Item larger = Item.of(3, 7, 900);
        assertTrue(pool.addValidated(small));
        assertTrue(pool.addValidated(large));
        assertTrue(pool.addValidated(larger));
        assertTrue(pool.addValidated(Item.of(4, 8, 900)));
        assertEquals(large, pool.findValidated(7, i -> i.sizeBytes() > 100), "the first accepted of two that match");
        assertEquals(null, pool.findValidated(7, i -> i.sizeBytes() > 1000));
        assertEquals(null, pool.findValidated(9, i -> true), "nothing at that height");
        pool.removeAt(7);
        assertEquals(null, pool.findValidated(7, i -> true), "gone with its height");
    }

    @Test
    void aFloodingPeerUsesUpOnlyItsOwnQuota() {
        ArtifactPool<Item> pool = new ArtifactPool<>(3, LIMITS);
        for (int i = 0; i < 100; i++) {
            Admission a = pool.offer(1, Item.of(1000 + i, 1, 10));
            assertEquals(i < 3 ? Admission.ADMITTED : Admission.OVER_QUOTA, a, "item " + i);
        }
        assertEquals(Admission.OVER_QUOTA, pool.offer(2, Item.of(1, 1, 1001)), "byte quota");
        assertEquals(Admission.ADMITTED, pool.offer(2, Item.of(2, 1, 600)));
        assertEquals(Admission.OVER_QUOTA, pool.offer(2, Item.of(3, 1, 600)), "600 + 600 > 1000 bytes");
        assertEquals(Admission.ADMITTED, pool.offer(0, Item.of(4, 1, 10)), "other peers unaffected");
        assertEquals(5, pool.unvalidatedCount());
    }

    @Test
    void workIsHandedOutRoundRobinAcrossPeers() {
        ArtifactPool<Item> pool = new ArtifactPool<>(3, LIMITS);
        for (int i = 0; i < 3; i++) {
            pool.offer(0, Item.of(i, 1, 1));
        }
        pool.offer(2, Item.of(10, 1, 1));
        var first = pool.unvalidated(2);
        assertEquals(2, first.size());
        assertTrue(first.stream().anyMatch(u -> u.peer() == 2), "peer 2 is not starved by peer 0's backlog");
    }

    @Test
    void rejectedArtifactsAreRememberedAndCountedAgainstThePeer() {
        ArtifactPool<Item> pool = new ArtifactPool<>(2, LIMITS);
        Item bad = Item.of(7, 1, 10);
        pool.offer(1, bad);
        pool.reject(pool.unvalidated(1).get(0));
        assertEquals(1, pool.invalidFrom(1));
        assertEquals(Admission.REJECTED_BEFORE, pool.offer(0, bad));
        assertEquals(0, pool.unvalidatedCount());
        Item dropped = Item.of(8, 1, 10);
        pool.offer(1, dropped);
        pool.drop(pool.unvalidated(1).get(0));
        assertEquals(1, pool.invalidFrom(1), "dropping blames nobody");
        assertEquals(Admission.ADMITTED, pool.offer(1, dropped), "a dropped artifact may come again");
    }

    @Test
    void purgingFreesBothSectionsAndTheQuota() {
        ArtifactPool<Item> pool = new ArtifactPool<>(1, LIMITS);
        for (int i = 0; i < 3; i++) {
            pool.offer(0, Item.of(i, 1 + i, 100));
        }
        assertEquals(Admission.OVER_QUOTA, pool.offer(0, Item.of(9, 5, 100)));
        pool.accept(pool.unvalidated(1).get(0)); // height 1 moves to the validated section
        assertEquals(Admission.ADMITTED, pool.offer(0, Item.of(9, 5, 100)), "accepting frees quota");
        assertEquals(Admission.OVER_QUOTA, pool.offer(0, Item.of(10, 5, 100)));
        pool.purgeBelow(3);
        assertEquals(0, pool.validatedCount());
        assertEquals(2, pool.unvalidatedCount(), "heights 3 and 5 remain");
        assertEquals(Admission.ADMITTED, pool.offer(0, Item.of(10, 5, 100)), "purging frees quota");
        assertFalse(pool.addValidated(Item.of(11, 2, 1)), "below the floor");
        assertEquals(3, pool.floor());
    }

    @Test
    void theValidatedSectionHasAHardCap() {
        ArtifactPool<Item> pool = new ArtifactPool<>(1, new PoolLimits(3, 1000, 10, 2, 0));
        assertTrue(pool.addValidated(Item.of(1, 1, 1)));
        assertTrue(pool.addValidated(Item.of(2, 1, 1)));
        assertFalse(pool.addValidated(Item.of(3, 1, 1)));
        assertEquals(2, pool.validatedCount());
    }

    @Test
    void heightsEndingOutOfOrderAreTakenUpAndFreedOneByOne() {
        ArtifactPool<Item> pool = new ArtifactPool<>(2, LIMITS);
        Item a = Item.of(1, 3, 100);
        Item b = Item.of(2, 3, 100);
        Item c = Item.of(3, 4, 100);
        pool.offer(0, a);
        pool.offer(1, b);
        pool.offer(1, c);
        assertEquals(List.of(a, b), pool.unvalidatedAt(3).stream().map(ArtifactPool.Unvalidated::artifact).toList());
        assertTrue(pool.accept(pool.unvalidatedAt(3).get(0)));
        pool.removeAt(3);
        assertEquals(List.of(), pool.validatedAt(3));
        assertEquals(List.of(), pool.unvalidatedAt(3));
        assertEquals(1, pool.unvalidatedCount(), "height 4 untouched");
        assertEquals(Admission.ADMITTED, pool.offer(1, Item.of(4, 5, 900)), "peer 1's bytes at height 3 were given back");
    }

    @Test
    void aValidatedArtifactCanBeReplacedByTheSameOneKnownBetter() {
        ArtifactPool<Item> pool = new ArtifactPool<>(1, LIMITS);
        Item small = Item.of(1, 2, 10);
        Item known = new Item(small.id(), 2, 500);
        assertFalse(pool.replaceValidated(known), "nothing to replace yet");
        pool.addValidated(small);
        assertTrue(pool.replaceValidated(known));
        assertEquals(List.of(known), pool.validatedAt(2));
        assertEquals(known, pool.validated(small.id()));
    }
}
