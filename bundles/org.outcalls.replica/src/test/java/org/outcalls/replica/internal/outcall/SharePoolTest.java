package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.OutcallDomains;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.BatchSigner;
import org.outcalls.crypto.CanonicalReader;

class SharePoolTest {
    private final ShareFixture f = new ShareFixture();
    private final SharePool pool = new SharePool(4);
    private final OutcallContextInfo ctx = ShareFixture.context(7);

    @Test
    void holdsOneSharePerSignerAndRequestTheFirstAndAttachesItsContentLater() {
        byte[] a = ShareFixture.content("a");
        SignedShare s0 = f.share(0, ctx, a);
        assertTrue(pool.add(s0, null));
        assertFalse(addNull(f.share(0, ctx, ShareFixture.content("b"))), "a second content from the same signer");
        assertNull(pool.content(7, ContentHash.of("", a)));
        assertFalse(pool.attachContent(7, ContentHash.of("", a), ShareFixture.content("not it")), "not what was signed");
        assertTrue(pool.attachContent(7, ContentHash.of("", a), a));
        assertArrayEquals(a, pool.content(7, ContentHash.of("", a)));
        assertTrue(pool.add(f.share(1, ctx, a), a));
        assertEquals(List.of(0, 1), pool.candidates(7).stream().map(c -> c.share().signer()).toList());
        assertEquals(2, pool.countsByHash(7).get(ContentHash.of("", a)));
    }

    @Test
    void aContentArrivingWithACopyOfAHeldShareIsAttachedToItButNotWithAnotherShareOfTheSigner() throws Exception {
        byte[] a = ShareFixture.content("a");
        SignedShare held = f.share(0, ctx, a);
        assertTrue(pool.add(held, null));
        SignedShare again = SignedShare.read(new CanonicalReader(held.encode())); // as a resend decodes it
        assertFalse(pool.add(again, a), "still one share per signer");
        assertArrayEquals(a, pool.content(7, ContentHash.of("", a)), "the resend brought the content");

        SignedShare other = f.share(1, ctx, a);
        assertTrue(pool.add(other, null));
        // the same metadata signed in another batch: another batch signature
        BatchSignature inAnotherBatch = BatchSigner.sign(f.keys.get(1), OutcallDomains.SHARE,
                List.of(other.metadata().encode(), new byte[] {1})).get(0);
        assertFalse(pool.add(new SignedShare(other.metadata(), 1, inAnotherBatch), a));
        assertNull(pool.candidates(7).get(1).content(), "a content comes only with the share that was held");
    }

    @Test
    void sharesArrivingInAnyOrderAreFoundBySignerAndOfferedInSignerOrderUntilTheRequestGoes() {
        byte[] a = ShareFixture.content("a");
        for (int signer : new int[] {3, 0, 2}) {
            assertTrue(pool.add(f.share(signer, ctx, a), null));
        }
        assertEquals(List.of(0, 2, 3), pool.candidates(7).stream().map(c -> c.share().signer()).toList());
        assertEquals(3, pool.of(7, 3).signer());
        assertNull(pool.of(7, 1), "signer 1 sent nothing");
        assertNull(pool.of(8, 0), "another request");
        assertTrue(pool.attachContent(7, ContentHash.of("", a), a));
        assertEquals(List.of(true, true, true), pool.candidates(7).stream().map(c -> c.content() != null).toList(),
                "a content is attached to every share that signed it");
        assertEquals(3, pool.held());

        pool.forgetBelow(8);
        assertEquals(List.of(), pool.candidates(7));
        assertNull(pool.of(7, 3));
        assertEquals(0, pool.held());
    }

    @Test
    void sharesOfSignerIndicesFarApartAreHeldByIndexAndNothingIsHeldBelowTheFloor() {
        byte[] a = ShareFixture.content("a");
        int[] signers = {40, 1, 70, 9};
        for (int signer : signers) {
            assertTrue(pool.add(signedBy(signer, a), null), "signer " + signer);
        }
        assertFalse(pool.add(signedBy(40, ShareFixture.content("b")), null), "still one share per signer");
        assertEquals(List.of(1, 9, 40, 70), pool.candidates(7).stream().map(c -> c.share().signer()).toList());
        for (int signer : signers) {
            assertEquals(signer, pool.of(7, signer).signer());
        }
        assertNull(pool.of(7, 2));
        assertNull(pool.of(7, 71));
        assertEquals(4, pool.held());

        pool.forgetBelow(8);
        assertFalse(pool.add(signedBy(1, a), null), "below the floor");
        assertNull(pool.of(7, 1));
        assertEquals(0, pool.held());
    }

    /** A share of the context as {@code signer} sends it (the pool does not check signatures; admission does). */
    private SignedShare signedBy(int signer, byte[] content) {
        SignedShare s = f.share(0, ctx, content);
        return new SignedShare(s.metadata(), signer, s.signature());
    }

    private boolean addNull(SignedShare s) {
        return pool.add(s, null);
    }

    @Test
    void earlySharesWaitWithinEachPeersQuotaAndAreTakenOnceTheRequestOpens() {
        for (int i = 0; i < SharePool.LIMITS.unvalidatedPerPeer(); i++) {
            assertTrue(pool.keepEarly(2, f.share(2, ShareFixture.context(100 + i), ShareFixture.content("x")), null));
        }
        assertFalse(pool.keepEarly(2, f.share(2, ShareFixture.context(99_999), ShareFixture.content("x")), null),
                "peer 2's quota is full");
        assertTrue(pool.keepEarly(3, f.share(3, ShareFixture.context(100), ShareFixture.content("x")), null),
                "another peer's quota is its own");
        assertEquals(2, pool.takeEarly(100).size());
        assertEquals(0, pool.takeEarly(100).size(), "taken once");
        assertTrue(pool.keepEarly(2, f.share(2, ShareFixture.context(99_999), ShareFixture.content("x")), null),
                "taking freed quota");
    }

    @Test
    void aClosedRequestsSharesGoAndNothingBelowTheFloorIsKept() {
        pool.add(f.share(0, ctx, ShareFixture.content("a")), null);
        pool.keepEarly(1, f.share(1, ShareFixture.context(9), ShareFixture.content("a")), null);
        pool.close(7);
        assertEquals(List.of(), pool.candidates(7));
        pool.forgetBelow(10);
        assertEquals(List.of(), pool.takeEarly(9));
        assertFalse(pool.keepEarly(1, f.share(1, ShareFixture.context(8), ShareFixture.content("a")), null),
                "below the floor: no request there can open any more");
    }
}
