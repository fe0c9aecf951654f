package org.outcalls.replica.internal.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.outcalls.crypto.Domain;

/**
 * SHA-256 from the JDK, for the state hash: the JDK's digest uses the CPU's SHA instructions where
 * there are any, and state hashing is on the execution path of every block.
 */
public final class Sha256 {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** Cloned, not looked up: a provider lookup per digest cost more than hashing a block's state changes. */
    private static final class Prototype {
        static final MessageDigest SHA_256 = lookUp();
    }

    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) Prototype.SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static byte[] hash(byte[] data) {
        return newDigest().digest(data);
    }

    /** {@code SHA-256(domain prefix || body)}, equal to {@code org.outcalls.crypto.Hash.of(domain, body)}. */
    public static byte[] hash(Domain domain, byte[] body) {
        MessageDigest d = newDigest();
        d.update(domain.prefix());
        return d.digest(body);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }
}
