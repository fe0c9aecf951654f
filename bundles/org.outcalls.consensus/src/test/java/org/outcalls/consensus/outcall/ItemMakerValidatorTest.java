package org.outcalls.consensus.outcall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.RejectKind;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.BatchSigner;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

class ItemMakerValidatorTest {
    private static final Hash SUBNET = Hash.sha256("subnet".getBytes(StandardCharsets.UTF_8));
    private final List<NodeKey> keys = new ArrayList<>();
    private final List<PublicKey> members = new ArrayList<>();
    private final ThresholdPolicy policy = new ThresholdPolicy();
    private final OutcallContextInfo context;
    private final ItemValidator validator;

    ItemMakerValidatorTest() {
        for (int i = 0; i < 4; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            NodeKey k = NodeKey.fromSeed(seed);
            keys.add(k);
            members.add(k.publicKey());
        }
        context = new OutcallContextInfo(SUBNET, 7, "proxy", OutcallRequest.builder("https://a.example/").build(),
                100, 90, 1_000, "threshold", "1.0.0", "", 3, Hash.sha256(new byte[] {1}));
        validator = new ItemValidator(SUBNET, members, new BatchVerifier(64));
    }

    private static byte[] content(String body) {
        return OutcallCodec.encode(HttpResponse.of(200, List.of(new HttpHeader("a", "b")), body.getBytes(StandardCharsets.UTF_8)));
    }

    private ItemMaker.Candidate share(int signer, byte[] content, OutcallContextInfo ctx) {
        ShareMetadata m = new ShareMetadata(SUBNET, ctx.callbackId(), ctx.digest(), ContentHash.of("", content),
                content.length, false, "", ctx.policy(), ctx.registryVersion());
        BatchSignature sig = BatchSigner.sign(keys.get(signer), OutcallDomains.SHARE, List.of(m.encode())).get(0);
        return new ItemMaker.Candidate(new SignedShare(m, signer, sig), content);
    }

    private ItemMaker.Made made(List<ItemMaker.Candidate> candidates) throws Exception {
        return assertInstanceOf(ItemMaker.Made.class, new ItemMaker(validator).make(context, policy, candidates));
    }

    @Test
    void thresholdIdenticalSharesCompleteWithTheAgreedResponse() throws Exception {
        byte[] ok = content("price 42");
        ItemMaker.Made m = made(List.of(share(0, ok, context), share(1, ok, context), share(2, content("other"), context),
                share(3, ok, context)));
        assertEquals(OutcallItem.Outcome.CONTENT, m.item().outcome());
        assertEquals(List.of(0, 1, 3), m.item().shares().stream().map(SignedShare::signer).toList());
        assertEquals("price 42", new String(m.decided().response().body(), StandardCharsets.UTF_8));
        // a validator decoding the block's bytes reaches the same verdict
        DecidedOutcall again = validator.validate(OutcallItem.decode(m.item().encode()), context, policy);
        assertEquals(m.decided().response(), again.response());
        assertArrayEquals(m.decided().certificate(), again.certificate());
    }

    @Test
    void tooFewSharesArePending() throws Exception {
        byte[] ok = content("x");
        assertInstanceOf(ItemMaker.Pending.class, new ItemMaker(validator).make(context, policy,
                List.of(share(0, ok, context), share(1, ok, context))));
    }

    @Test
    void theMakerAsksForContentItDoesNotHave() throws Exception {
        byte[] ok = content("x");
        List<ItemMaker.Candidate> withoutContent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ItemMaker.Candidate c = share(i, ok, context);
            withoutContent.add(new ItemMaker.Candidate(c.share(), null));
        }
        ItemMaker.NeedsContent needs = assertInstanceOf(ItemMaker.NeedsContent.class,
                new ItemMaker(validator).make(context, policy, withoutContent));
        assertArrayEquals(new int[] {0, 1, 2}, needs.holders());
    }

    @Test
    void divergenceIsProvedAndDeliveredAsNoConsensus() throws Exception {
        ItemMaker.Made m = made(List.of(share(0, content("a"), context), share(1, content("b"), context),
                share(2, content("c"), context)));
        assertEquals(OutcallItem.Outcome.DIVERGENT, m.item().outcome());
        assertEquals(RejectKind.NO_CONSENSUS, m.decided().reject().kind());
    }

    @Test
    void tamperedItemsAreInvalid() throws Exception {
        byte[] ok = content("price 42");
        OutcallItem good = made(List.of(share(0, ok, context), share(1, ok, context), share(2, ok, context))).item();

        // a forged signature
        SignedShare s0 = good.shares().get(0);
        BatchSignature bad = new BatchSignature(0, 1, List.of(), new byte[64]);
        assertInvalid(with(good, List.of(new SignedShare(s0.metadata(), 0, bad), good.shares().get(1), good.shares().get(2)), good.content()),
                "bad signature");
        // one share dropped: the rest no longer decide
        assertInvalid(with(good, good.shares().subList(0, 2), good.content()), "policy decides pending");
        // other content under the agreed shares
        assertInvalid(with(good, good.shares(), content("price 43")), "does not have the agreed hash");
        // a share signed by the right key but claimed for another replica
        assertInvalid(with(good, List.of(good.shares().get(0), good.shares().get(1),
                new SignedShare(good.shares().get(2).metadata(), 3, good.shares().get(2).signature())), good.content()), "bad signature");
        // the same replica twice
        assertInvalid(with(good, List.of(good.shares().get(0), good.shares().get(0), good.shares().get(1)), good.content()),
                "out of signer order");
        // a share for another request
        OutcallContextInfo other = new OutcallContextInfo(SUBNET, 7, "proxy", OutcallRequest.builder("https://b.example/").build(),
                100, 90, 1_000, "threshold", "1.0.0", "", 3, context.seed());
        assertInvalid(with(good, List.of(good.shares().get(0), good.shares().get(1), share(2, ok, other).share()), good.content()),
                "another request");
    }

    @Test
    void itemsFromAnotherSubnetAreInvalid() throws Exception {
        byte[] ok = content("x");
        OutcallItem item = made(List.of(share(0, ok, context), share(1, ok, context), share(2, ok, context))).item();
        ItemValidator elsewhere = new ItemValidator(Hash.sha256(new byte[] {9}), members, new BatchVerifier(4));
        assertThrows(InvalidItemException.class, () -> elsewhere.validate(item, context, policy));
    }

    private void assertInvalid(OutcallItem item, String fragment) {
        InvalidItemException e = assertThrows(InvalidItemException.class, () -> validator.validate(item, context, policy));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static OutcallItem with(OutcallItem item, List<SignedShare> shares, byte[] content) {
        return new OutcallItem(item.callbackId(), item.contextDigest(), item.seed(), item.policyName(), item.policyVersion(),
                item.outcome(), shares, content, item.shareContents(), item.value(), item.message());
    }

    @Test
    void certificatesVerifyOfflineAndTamperingIsCaught() throws Exception {
        byte[] ok = content("price 42");
        ItemMaker.Made m = made(List.of(share(0, ok, context), share(1, ok, context), share(2, ok, context)));
        byte[] cert = m.decided().certificate();
        HttpResponse delivered = m.decided().response();
        assertTrue(CertificateVerifier.verify(cert, SUBNET, members, delivered, null, null).genuine());

        HttpResponse tampered = delivered.withBody("price 43".getBytes(StandardCharsets.UTF_8));
        CertificateVerifier.Verdict v = CertificateVerifier.verify(cert, SUBNET, members, tampered, null, null);
        assertTrue(!v.genuine() && v.explanation().contains("0 of 4 replicas signed"), v.explanation());

        List<PublicKey> otherKeys = new ArrayList<>(members);
        otherKeys.set(1, NodeKey.fromSeed(new byte[32]).publicKey().equals(members.get(0))
                ? NodeKey.fromSeed(new byte[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}).publicKey()
                : NodeKey.fromSeed(new byte[32]).publicKey());
        assertTrue(!CertificateVerifier.verify(cert, SUBNET, otherKeys, delivered, null, null).genuine());
        assertTrue(!CertificateVerifier.verify(cert, Hash.sha256(new byte[] {3}), members, delivered, null, null).genuine());

        byte[] flipped = cert.clone();
        flipped[flipped.length / 2] ^= 1;
        assertTrue(!CertificateVerifier.verify(flipped, SUBNET, members, delivered, null, null).genuine());
    }
}
