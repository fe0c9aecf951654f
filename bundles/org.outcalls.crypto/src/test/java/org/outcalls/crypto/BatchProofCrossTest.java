package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.outcalls.api.verify.BatchProof;
import org.outcalls.api.verify.Domains;

/**
 * The API's JDK-only batch-signature check ({@link BatchProof}, with the JDK's Ed25519) against
 * this bundle's ({@link BatchSigner}, {@link BatchVerifier}, Bouncy Castle): the same paths, the
 * same domain prefixes, and the same answer for every item of every batch size, genuine or tampered.
 */
class BatchProofCrossTest {
    private static final Domain ITEMS = Domain.of("outcalls/outcall/share", 1);
    private static final NodeKey KEY = NodeKey.fromSeed(Hash.sha256(new byte[] {7}).bytes());
    private static final NodeKey OTHER = NodeKey.fromSeed(Hash.sha256(new byte[] {8}).bytes());

    @Test
    void theDomainPrefixesAreTheSame() {
        assertArrayEquals(Domain.BATCH_ROOT.prefix(), Domains.batchRoot());
        assertArrayEquals(ITEMS.prefix(), Domains.share());
        assertArrayEquals(Domain.of("outcalls/outcall/content", 1).prefix(), Domains.content());
        assertArrayEquals(Domain.of("outcalls/outcall/context", 2).prefix(), Domains.context());
    }

    @Test
    void pathLengthsAgreeForEveryPosition() {
        for (int count = 1; count <= 70; count++) {
            for (int index = 0; index < count; index++) {
                assertEquals(BatchSigner.pathLength(index, count), BatchProof.pathLength(index, count),
                        index + " of " + count);
            }
        }
    }

    @Test
    void bothVerifiersAgreeOnGenuineAndTamperedItems() {
        Random random = new Random(20_240_901);
        BatchVerifier crypto = new BatchVerifier(1);
        int checked = 0;
        for (int count : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 33}) {
            List<byte[]> items = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] item = new byte[1 + random.nextInt(300)];
                random.nextBytes(item);
                items.add(item);
            }
            List<BatchSignature> sigs = BatchSigner.sign(KEY, ITEMS, items);
            for (int i = 0; i < count; i++) {
                BatchSignature s = sigs.get(i);
                byte[] item = items.get(i);
                assertAgree(crypto, KEY, ITEMS, item, s, true, "genuine " + i + " of " + count);
                assertAgree(crypto, OTHER, ITEMS, item, s, false, "another key");
                assertAgree(crypto, KEY, Domain.of("outcalls/outcall/content", 1), item, s, false, "another domain");
                byte[] flipped = item.clone();
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                assertAgree(crypto, KEY, ITEMS, flipped, s, false, "another item");
                byte[] sig = s.signature();
                sig[random.nextInt(sig.length)] ^= (byte) (1 << random.nextInt(8));
                assertAgree(crypto, KEY, ITEMS, item, new BatchSignature(i, count, s.path(), sig), false, "another signature");
                if (!s.path().isEmpty()) {
                    List<Hash> path = new ArrayList<>(s.path());
                    int at = random.nextInt(path.size());
                    byte[] h = path.get(at).bytes();
                    h[random.nextInt(32)] ^= 1;
                    path.set(at, Hash.wrap(h));
                    assertAgree(crypto, KEY, ITEMS, item, new BatchSignature(i, count, path, s.signature()), false,
                            "another path");
                }
                if (count > 1) {
                    int j = (i + 1) % count;
                    assertAgree(crypto, KEY, ITEMS, item, new BatchSignature(j, count, s.path(), s.signature()), false,
                            "another position");
                }
                checked++;
            }
        }
        assertEquals(124, checked);
    }

    private static void assertAgree(BatchVerifier crypto, NodeKey key, Domain domain, byte[] item, BatchSignature s,
                                    boolean expected, String what) {
        boolean bc = crypto.verify(key.publicKey(), domain, item, s);
        BatchProof proof = new BatchProof(s.index(), s.count(), s.path().stream().map(Hash::bytes).toList(), s.signature());
        boolean jdk = proof.verify(key.publicKey().bytes(), domain.prefix(), item);
        assertEquals(expected, bc, "crypto: " + what);
        assertEquals(expected, jdk, "api: " + what);
    }
}
