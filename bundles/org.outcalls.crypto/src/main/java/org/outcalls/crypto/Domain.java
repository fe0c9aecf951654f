package org.outcalls.crypto;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The kind of a signed or hashed message. Signed bytes are always
 * {@code prefix() || canonical body}, where the prefix encodes the tag (length-prefixed, so no
 * tag is a prefix of another's encoding) and the encoding version. A signature made for one
 * domain therefore never verifies as a message of another domain or version.
 *
 * <p>Tags are lower-case ASCII, {@code outcalls/<area>/<kind>} by convention. Bundles that
 * sign new kinds of messages define their own constants with {@link #of(String, int)}.
 *
 * @param tag     lower-case ASCII, 1..64 characters of {@code [a-z0-9/._-]}
 * @param version encoding version of the body, 1..65535
 */
public record Domain(String tag, int version) {
    private static final Pattern TAG = Pattern.compile("[a-z0-9/._-]{1,64}");

    /** A block's content hash (not signed by itself: proposals sign it). */
    public static final Domain BLOCK = new Domain("outcalls/consensus/block", 1);
    /** A block maker's signature on a block it proposes. */
    public static final Domain BLOCK_PROPOSAL = new Domain("outcalls/consensus/proposal", 1);
    /** A replica's notarization share (vote) for a block. */
    public static final Domain NOTARIZATION_SHARE = new Domain("outcalls/consensus/notarization", 1);
    /** A replica's finalization share for a block. */
    public static final Domain FINALIZATION_SHARE = new Domain("outcalls/consensus/finalization", 1);
    /** The deterministic ranking of block makers at one height (hashed, not signed). */
    public static final Domain RANKING = new Domain("outcalls/consensus/ranking", 1);
    /** The root of a Merkle tree over a batch of items of another domain (see {@link BatchSigner}). */
    public static final Domain BATCH_ROOT = new Domain("outcalls/crypto/batch-root", 1);
    /** A node id: hash of the node's public key. */
    public static final Domain NODE_ID = new Domain("outcalls/crypto/node-id", 1);

    public Domain {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("tag: must be 1..64 characters of [a-z0-9/._-], got " + tag);
        }
        if (version < 1 || version > 0xFFFF) {
            throw new IllegalArgumentException("version: must be 1..65535, got " + version);
        }
    }

    public static Domain of(String tag, int version) {
        return new Domain(tag, version);
    }

    /** {@code u8 tag length || tag (ASCII) || u16 version}: what every signed message starts with. */
    public byte[] prefix() {
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[1 + t.length + 2];
        p[0] = (byte) t.length;
        System.arraycopy(t, 0, p, 1, t.length);
        p[p.length - 2] = (byte) (version >>> 8);
        p[p.length - 1] = (byte) version;
        return p;
    }

    /** The exact bytes that are signed for {@code body} in this domain. */
    public byte[] message(byte[] body) {
        byte[] p = prefix();
        byte[] m = new byte[p.length + body.length];
        System.arraycopy(p, 0, m, 0, p.length);
        System.arraycopy(body, 0, m, p.length, body.length);
        return m;
    }

    @Override
    public String toString() {
        return tag + "/v" + version;
    }
}
