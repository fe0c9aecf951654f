package org.outcalls.api.verify;

import java.nio.charset.StandardCharsets;

/**
 * The domain prefixes of what replicas hash and sign: {@code u8 tag length || tag (ASCII) || u16
 * version} before every signed or hashed body (as {@code org.outcalls.crypto.Domain} writes them),
 * so no signature made for one kind of message verifies as another.
 */
public final class Domains {
    private Domains() {
    }

    /** A replica's signed share: the metadata of its content for one request context. */
    public static byte[] share() {
        return prefix("outcalls/outcall/share", 1);
    }

    /** A replica's transformed response or reject, with the transform that produced it. */
    public static byte[] content() {
        return prefix("outcalls/outcall/content", 1);
    }

    /**
     * A request context. Version 2 covers the SHA-256 of the request body instead of the body, so
     * a result document can prove its request without carrying a body of up to 2 MB.
     */
    public static byte[] context() {
        return prefix("outcalls/outcall/context", 2);
    }

    /** The root of a Merkle tree over a batch of items of another domain. */
    public static byte[] batchRoot() {
        return prefix("outcalls/crypto/batch-root", 1);
    }

    /** The prefix of a domain: {@code u8 tag length || tag || u16 version}. */
    public static byte[] prefix(String tag, int version) {
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        if (t.length < 1 || t.length > 64 || version < 1 || version > 0xFFFF) {
            throw new IllegalArgumentException("domain: tag of 1..64 characters and version 1..65535");
        }
        byte[] p = new byte[1 + t.length + 2];
        p[0] = (byte) t.length;
        System.arraycopy(t, 0, p, 1, t.length);
        p[p.length - 2] = (byte) (version >>> 8);
        p[p.length - 1] = (byte) version;
        return p;
    }
}
