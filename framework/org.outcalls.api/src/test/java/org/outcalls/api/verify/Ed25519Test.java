package org.outcalls.api.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The JDK's Ed25519 with raw 32-byte keys, on RFC 8032's first test vector. */
class Ed25519Test {
    private static final byte[] KEY = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] SIGNATURE = HexFormat.of().parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
            + "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    @Test
    void theRfcVectorVerifiesAndNothingElseDoes() {
        assertTrue(Ed25519.verify(KEY, new byte[0], SIGNATURE));
        assertFalse(Ed25519.verify(KEY, new byte[] {0}, SIGNATURE), "another message");
        byte[] flipped = SIGNATURE.clone();
        flipped[10] ^= 1;
        assertFalse(Ed25519.verify(KEY, new byte[0], flipped), "another signature");
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertFalse(Ed25519.verify(otherKey, new byte[0], SIGNATURE), "another key");
        assertFalse(Ed25519.verify(KEY, new byte[0], new byte[63]), "a short signature");
        assertFalse(Ed25519.verify(new byte[32], new byte[0], SIGNATURE), "a key that is no valid point");
    }

    @Test
    void aKeyIsExactly32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> Ed25519.publicKey(new byte[31]));
        assertFalse(Ed25519.verify(new byte[33], new byte[0], SIGNATURE));
    }
}
