package org.outcalls.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 value: 32 bytes, immutable, ordered by unsigned lexicographic comparison. */
public final class Hash implements Comparable<Hash> {
    public static final int LENGTH = 32;
    /** All zero bytes: "no hash" in encodings that need a fixed-width placeholder. */
    public static final Hash ZERO = new Hash(new byte[LENGTH]);

    private final byte[] bytes;
    /** Computed when first asked for: most hashes (the inner nodes of a batch's path) never go into a map. 0 = not yet. */
    private int hashCode;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps exactly 32 bytes (copied). */
    public static Hash wrap(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("hash: must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new Hash(bytes.clone());
    }

    /**
     * SHA-256 of the concatenation of the given parts. The JDK's digest, not Bouncy Castle's: it
     * uses the CPU's SHA instructions where there are any (about 6× faster here, and hashing was
     * the largest item in the benchmark's profile; docs/PERFORMANCE.md).
     */
    public static Hash sha256(byte[]... parts) {
        MessageDigest d = newDigest();
        for (byte[] p : parts) {
            d.update(p);
        }
        return new Hash(d.digest());
    }

    /** Cloned, not looked up: a provider lookup per digest cost more than hashing a block's state changes. */
    private static final class Prototype {
        static final MessageDigest SHA_256 = lookUp();
    }

    /**
     * A fresh SHA-256 digest, for hashing a stream of parts without first joining them (the state
     * hash, ingress payloads). Each call returns its own instance.
     */
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

    /**
     * SHA-256 of a domain-separated canonical body: {@code domain prefix || body}. Two different
     * kinds of object never hash the same bytes.
     */
    public static Hash of(Domain domain, byte[] body) {
        return sha256(domain.prefix(), body);
    }

    /** Parses 64 hex digits. */
    public static Hash fromHex(String hex) {
        return wrap(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The 32 bytes, not copied: for hashing within this package only. */
    byte[] raw() {
        return bytes;
    }

    /** Copies the 32 bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** The first 8 hex digits, for logs. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public int compareTo(Hash o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        int h = hashCode;
        if (h == 0) {
            h = Arrays.hashCode(bytes); // a race computes the same value twice; 0 is simply recomputed
            hashCode = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return shortHex();
    }
}
