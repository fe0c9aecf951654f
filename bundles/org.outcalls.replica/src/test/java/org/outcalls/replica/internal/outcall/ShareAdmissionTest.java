package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchVerifier;

class ShareAdmissionTest {
    private final ShareFixture f = new ShareFixture();
    private final SharePool pool = new SharePool(4);
    private final Map<Long, ShareAdmission.OpenRequest> open = new TreeMap<>();
    private final List<Long> added = new ArrayList<>();
    private final ShareAdmission admission = new ShareAdmission(ShareFixture.SUBNET, f.members, new BatchVerifier(16), pool,
            open::get, r -> added.add(r.info().callbackId()));

    private ShareAdmission.OpenRequest open(OutcallContextInfo ctx) {
        ShareAdmission.OpenRequest r = new ShareAdmission.OpenRequest(ctx, ctx.digest());
        open.put(ctx.callbackId(), r);
        return r;
    }

    @Test
    void aPeersOwnShareThatFitsItsRequestIsHeldWithItsContent() {
        OutcallContextInfo ctx = ShareFixture.context(3);
        open(ctx);
        byte[] c = ShareFixture.content("ok");
        admission.onShare(1, f.share(1, ctx, c), c);
        assertEquals(List.of(3L), added);
        assertEquals(1, pool.candidates(3).size());
        assertTrue(pool.content(3, ContentHash.of("", c)) != null);
    }

    @Test
    void sharesSignedByAnotherOrForAnotherRequestOrBadlySignedAreRefused() {
        OutcallContextInfo ctx = ShareFixture.context(3);
        open(ctx);
        byte[] c = ShareFixture.content("ok");
        admission.onShare(2, f.share(1, ctx, c), c); // relayed by replica 2: only own shares count
        SignedShare otherRequest = f.share(1, ShareFixture.context(4), c);
        ShareMetadata moved = new ShareMetadata(ShareFixture.SUBNET, 3, otherRequest.metadata().contextDigest(),
                otherRequest.metadata().contentHash(), c.length, false, "", ctx.policy(), 1);
        admission.onShare(1, new SignedShare(moved, 1, otherRequest.signature()), c);
        SignedShare good = f.share(1, ctx, c);
        admission.onShare(1, new SignedShare(good.metadata(), 1, f.share(1, ctx, ShareFixture.content("x")).signature()), c);
        assertEquals(List.of(), added);
        assertEquals(0, pool.candidates(3).size());
    }

    @Test
    void aContentThatIsNotWhatTheShareSignedIsDroppedButTheShareKept() {
        OutcallContextInfo ctx = ShareFixture.context(3);
        open(ctx);
        byte[] c = ShareFixture.content("ok");
        admission.onShare(1, f.share(1, ctx, c), ShareFixture.content("tampered"));
        assertEquals(1, pool.candidates(3).size());
        assertNull(pool.candidates(3).get(0).content());
    }

    @Test
    void aContentCheckedOnceIsKeptOnceAndAnotherWithTheSameClaimIsStillChecked() {
        OutcallContextInfo ctx = ShareFixture.context(3);
        open(ctx);
        byte[] c = ShareFixture.content("ok");
        admission.onShare(1, f.share(1, ctx, c), c);
        admission.onShare(2, f.share(2, ctx, c), c.clone());
        byte[] tampered = c.clone();
        tampered[tampered.length - 1] ^= 1;
        admission.onShare(3, f.share(3, ctx, c), tampered); // same signed hash and size, other bytes
        List<byte[]> held = pool.candidates(3).stream().map(x -> x.content()).toList();
        assertEquals(3, held.size());
        assertTrue(held.get(0) == held.get(1), "equal bytes for the same hash are the content already checked");
        assertNull(held.get(2), "bytes that differ from the checked content are not what the share signed");
        byte[] other = ShareFixture.content("other");
        OutcallContextInfo ctx5 = ShareFixture.context(5);
        open(ctx5);
        admission.onShare(1, f.share(1, ctx5, other), other);
        admission.onShare(2, f.share(2, ctx5, c), c); // another content in the same request: checked on its own
        assertTrue(pool.candidates(5).get(1).content() != null);
    }

    @Test
    void sharesForARequestNotOpenYetAreJudgedWhenItOpens() {
        OutcallContextInfo ctx = ShareFixture.context(9);
        byte[] c = ShareFixture.content("ok");
        admission.onShare(1, f.share(1, ctx, c), c);
        admission.onShare(2, f.share(2, ShareFixture.context(9), ShareFixture.content("other")), null);
        assertEquals(List.of(), added);
        admission.opened(open(ctx));
        assertEquals(List.of(9L, 9L), added);
        assertEquals(List.of(1, 2), pool.candidates(9).stream().map(x -> x.share().signer()).toList());
        assertFalse(admission.admit(open.get(9L), f.share(1, ctx, ShareFixture.content("again")), null),
                "one share per signer and request");
    }
}
