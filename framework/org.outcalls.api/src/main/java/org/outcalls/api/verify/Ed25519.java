package org.outcalls.api.verify;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * Ed25519 (RFC 8032) with the JDK's own provider: a replica's raw 32-byte public key becomes a
 * {@link PublicKey} by prefixing the fixed X.509 SubjectPublicKeyInfo header of an Ed25519 key.
 */
public final class Ed25519 {
    public static final int KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    /** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 bytes: no unused bits, then the key) }. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519() {
    }

    /**
     * @throws IllegalArgumentException if {@code raw} is not 32 bytes or the JDK refuses it
     */
    public static PublicKey publicKey(byte[] raw) {
        if (raw == null || raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("public key: must be " + KEY_LENGTH + " bytes, got "
                    + (raw == null ? "none" : raw.length));
        }
        byte[] encoded = new byte[X509_PREFIX.length + KEY_LENGTH];
        System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, encoded, X509_PREFIX.length, KEY_LENGTH);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("public key: not an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** True if {@code signature} is {@code key}'s over {@code message}; false (never an exception) otherwise. */
    public static boolean verify(byte[] rawKey, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKey(rawKey));
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a key that is not a curve point, or a malformed signature, verifies nothing
            return false;
        }
    }
}
