package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BatchSignerTest {
    static final Domain ITEMS = Domain.of("outcalls/test/share", 1);
    static final NodeKey KEY = NodeKey.fromSeed(Hash.sha256(new byte[] {42}).bytes());

    static List<byte[]> items(int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(("item-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 16, 33, 100})
    void everyItemVerifiesAndNoTamperingDoes(int count) throws DecodeException {
        List<byte[]> items = items(count);
        List<BatchSignature> sigs = BatchSigner.sign(KEY, ITEMS, items);
        BatchVerifier v = new BatchVerifier(16);
        NodeKey other = NodeKey.fromSeed(new byte[32]);
        for (int i = 0; i < count; i++) {
            BatchSignature s = BatchSignature.decode(new CanonicalReader(sigs.get(i).encode()));
            assertTrue(v.verify(KEY.publicKey(), ITEMS, items.get(i), s), "item " + i);
            assertFalse(v.verify(KEY.publicKey(), ITEMS, "forged".getBytes(), s), "another item at " + i);
            assertFalse(v.verify(other.publicKey(), ITEMS, items.get(i), s), "another signer");
            assertFalse(v.verify(KEY.publicKey(), Domain.of("outcalls/test/other", 1), items.get(i), s), "another domain");
            if (count > 1) {
                int j = (i + 1) % count;
                assertFalse(v.verify(KEY.publicKey(), ITEMS, items.get(j), s), "item " + j + " with the proof of " + i);
            }
        }
        assertEquals(1, v.signatureChecks() - failedChecks(count), "one Ed25519 check for the whole batch");
    }

    /** Signature checks the negative cases above cost: each leads to a root that is not the signed one. */
    private static long failedChecks(int count) {
        return 3L * count + (count > 1 ? count : 0);
    }

    @Test
    void proofsOfTheWrongShapeAreRejected() {
        List<byte[]> items = items(5);
        List<BatchSignature> sigs = BatchSigner.sign(KEY, ITEMS, items);
        BatchSignature s = sigs.get(2);
        BatchSignature shorter = new BatchSignature(2, 5, s.path().subList(0, 1), s.signature());
        assertFalse(new BatchVerifier(4).verify(KEY.publicKey(), ITEMS, items.get(2), shorter));
        BatchSignature moved = new BatchSignature(3, 5, s.path(), s.signature());
        assertFalse(new BatchVerifier(4).verify(KEY.publicKey(), ITEMS, items.get(2), moved));
        BatchSignature recounted = new BatchSignature(2, 6, s.path(), s.signature());
        assertFalse(new BatchVerifier(4).verify(KEY.publicKey(), ITEMS, items.get(2), recounted));
        byte[] enc = shorter.encode();
        assertThrows(DecodeException.class, () -> BatchSignature.decode(new CanonicalReader(enc)));
        assertThrows(IllegalArgumentException.class, () -> BatchSigner.sign(KEY, ITEMS, List.of()));
    }

    @Test
    void theVerifierForgetsTheOldestRootsBeyondItsCapacity() {
        BatchVerifier v = new BatchVerifier(2);
        List<List<BatchSignature>> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            batches.add(BatchSigner.sign(KEY, ITEMS, List.of(("batch" + b).getBytes())));
        }
        for (int b = 0; b < 3; b++) {
            assertTrue(v.verify(KEY.publicKey(), ITEMS, ("batch" + b).getBytes(), batches.get(b).get(0)));
        }
        assertEquals(3, v.signatureChecks());
        assertTrue(v.verify(KEY.publicKey(), ITEMS, "batch2".getBytes(), batches.get(2).get(0)));
        assertEquals(3, v.signatureChecks(), "recent root remembered");
    }
}
