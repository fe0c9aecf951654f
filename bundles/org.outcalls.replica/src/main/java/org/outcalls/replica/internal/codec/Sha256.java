package org.outcalls.replica.internal.codec;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;

/**
 * SHA-256 as byte arrays, for the state hash and the codecs: {@link Hash}'s digest (the JDK's, which
 * uses the CPU's SHA instructions where there are any) without wrapping every value in a {@code Hash}.
 */
public final class Sha256 {
    public static final int LENGTH = Hash.LENGTH;
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    /** The one SHA-256 of the code base ({@link Hash#newDigest()}), as a stream. */
    public static MessageDigest newDigest() {
        return Hash.newDigest();
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
