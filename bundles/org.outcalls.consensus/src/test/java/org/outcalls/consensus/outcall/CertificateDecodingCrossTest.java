package org.outcalls.consensus.outcall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.verify.Certificate;
import org.outcalls.api.verify.DocumentException;
import org.outcalls.api.verify.Share;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.BatchSigner;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;

/**
 * The API's certificate decoder and share-signature check ({@link Certificate}, {@link Share},
 * the JDK's Ed25519) against the replicas' own ({@link OutcallItem#decode}, {@link SignedShare#verify}
 * with Bouncy Castle): on random items of every outcome they read the same fields, and on
 * thousands of mutations (flipped, cut, added bytes) they accept and refuse the same bytes and the
 * same signatures.
 */
class CertificateDecodingCrossTest {
    private static final Hash SUBNET = Hash.sha256("subnet".getBytes(StandardCharsets.UTF_8));
    private final List<NodeKey> keys = new ArrayList<>();

    CertificateDecodingCrossTest() {
        for (int i = 0; i < 4; i++) {
            keys.add(NodeKey.fromSeed(Hash.sha256(new byte[] {(byte) i}).bytes()));
        }
    }

    @Test
    void bothDecodersReadTheSameFieldsAndAgreeOnEveryMutation() throws Exception {
        Random random = new Random(1_042);
        int bothDecoded = 0;
        for (int n = 0; n < 40; n++) {
            byte[] encoded = randomItem(random).encode();
            assertSame(OutcallItem.decode(encoded), Certificate.decode(encoded), true);
            for (int m = 0; m < 30; m++) {
                byte[] mutated = mutate(encoded, random);
                OutcallItem item = null;
                Certificate cert = null;
                try {
                    item = OutcallItem.decode(mutated);
                } catch (DecodeException e) {
                    // refused: the API must refuse too
                }
                try {
                    cert = Certificate.decode(mutated);
                } catch (DocumentException e) {
                    // refused: the replicas must have refused too
                }
                assertEquals(item != null, cert != null, "one decoder accepted what the other refused");
                if (item != null) {
                    // signatures on the first mutations of each item only: the JDK's Ed25519 is slow
                    assertSame(item, cert, m < 8);
                    bothDecoded++;
                }
            }
        }
        assertTrue(bothDecoded > 300, "enough mutations decode for their signatures to be compared: " + bothDecoded);
    }

    private void assertSame(OutcallItem item, Certificate cert, boolean signatures) {
        assertEquals(item.callbackId(), cert.callbackId());
        assertEquals(item.contextDigest().hex(), cert.contextDigest());
        assertEquals(item.seed().hex(), cert.seed());
        assertEquals(item.policy(), cert.policy());
        assertEquals(item.outcome().name(), cert.outcome().name());
        assertArrayEquals(item.content(), cert.content());
        assertEquals(item.shareContents().size(), cert.shareContents().size());
        for (int i = 0; i < item.shareContents().size(); i++) {
            assertArrayEquals(item.shareContents().get(i), cert.shareContents().get(i));
        }
        assertEquals(item.value(), cert.value());
        assertEquals(item.message(), cert.message());
        assertEquals(item.shares().size(), cert.shares().size());
        BatchVerifier verifier = new BatchVerifier(1);
        for (int i = 0; i < item.shares().size(); i++) {
            SignedShare s = item.shares().get(i);
            Share a = cert.shares().get(i);
            ShareMetadata m = s.metadata();
            assertArrayEquals(m.encode(), a.signedMetadata());
            assertEquals(List.of(m.subnetId().hex(), m.callbackId(), m.contextDigest().hex(), m.contentHash().hex(),
                    m.contentSize(), m.reject(), m.transform(), m.policy(), m.registryVersion(), s.signer()),
                    List.of(a.subnetId(), a.callbackId(), a.contextDigest(), a.contentHash(), a.contentSize(), a.reject(),
                            a.transform(), a.policy(), a.registryVersion(), a.signer()));
            assertEquals(s.signature().index(), a.proof().index());
            assertEquals(s.signature().count(), a.proof().count());
            assertArrayEquals(s.signature().signature(), a.proof().signature());
            // under the signer's key, and under the next replica's
            for (NodeKey k : signatures ? List.of(keys.get(a.signer() % 4), keys.get((a.signer() + 1) % 4)) : List.<NodeKey>of()) {
                assertEquals(s.verify(k.publicKey(), verifier), a.signedBy(k.publicKey().bytes()),
                        "share " + i + " under key " + keys.indexOf(k));
            }
        }
    }

    private static byte[] mutate(byte[] b, Random random) {
        int at = random.nextInt(b.length);
        return switch (random.nextInt(6)) {
            case 0 -> Arrays.copyOf(b, at);
            case 1 -> Arrays.copyOf(b, b.length + 1);
            case 2 -> {
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                yield c;
            }
            default -> {
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << random.nextInt(8));
                yield c;
            }
        };
    }

    private OutcallItem randomItem(Random random) {
        OutcallItem.Outcome outcome = OutcallItem.Outcome.values()[random.nextInt(3)];
        Hash digest = Hash.sha256(new byte[] {(byte) random.nextInt(256)});
        long callback = random.nextInt(1000);
        String policy = outcome == OutcallItem.Outcome.VALUE ? "median" : "two-thirds";
        List<SignedShare> shares = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int signer = 0; signer < 4; signer++) {
            if (random.nextInt(4) == 0 && signer > 0) {
                continue;
            }
            byte[] content = content(outcome == OutcallItem.Outcome.VALUE ? "12." + random.nextInt(100)
                    : "body " + random.nextInt(3));
            String transform = random.nextBoolean() ? "" : "json@0.1.0";
            ShareMetadata m = new ShareMetadata(SUBNET, callback, digest, ContentHash.of(transform, content), content.length,
                    false, transform, policy + "@0.1.0", 1 + random.nextInt(3));
            shares.add(new SignedShare(m, signer, signedInABatch(keys.get(signer), m, random)));
            contents.add(content);
        }
        AggregateValue value = outcome == OutcallItem.Outcome.VALUE
                ? new AggregateValue(new BigDecimal("12.5"), contents.size(), new BigDecimal("12"), new BigDecimal("13")) : null;
        return new OutcallItem(callback, digest, Hash.sha256(new byte[] {9}), policy, "0.1.0", outcome, shares,
                random.nextBoolean() ? new byte[0] : content("agreed"),
                outcome == OutcallItem.Outcome.VALUE ? contents : List.of(), value,
                outcome == OutcallItem.Outcome.DIVERGENT ? "no consensus: " + random.nextInt() : "");
    }

    /** A share signed within a batch of other items, so its path has hashes to check. */
    private static BatchSignature signedInABatch(NodeKey key, ShareMetadata m, Random random) {
        int count = 1 + random.nextInt(9);
        int index = random.nextInt(count);
        List<byte[]> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(i == index ? m.encode() : ("other " + i).getBytes(StandardCharsets.UTF_8));
        }
        return BatchSigner.sign(key, OutcallDomains.SHARE, items).get(index);
    }

    private static byte[] content(String body) {
        return OutcallCodec.encode(HttpResponse.of(200, List.of(new HttpHeader("content-type", "text/plain")),
                body.getBytes(StandardCharsets.UTF_8)));
    }
}
