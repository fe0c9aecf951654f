package org.outcalls.replica.cup;

import java.util.Objects;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

/**
 * One replica's signature over a {@link CupContent}: what replicas gossip (channel {@code cup})
 * after writing a checkpoint. Frame: {@code u8 version (1), content, u32 signer, 64-byte signature}.
 */
public record CupShare(CupContent content, int signer, byte[] signature) {
    public static final int VERSION = 1;

    public CupShare {
        Objects.requireNonNull(content, "content");
        if (signer < 0 || signer >= content.n()) {
            throw new IllegalArgumentException("signer: must be 0.." + (content.n() - 1) + ", got " + signer);
        }
        if (signature == null || signature.length != PublicKey.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature: " + PublicKey.SIGNATURE_LENGTH + " bytes");
        }
        signature = signature.clone();
    }

    /** Signs {@code content} as committee member {@code signer}, whose key {@code key} must be. */
    public static CupShare sign(CupContent content, int signer, NodeKey key) {
        if (signer < 0 || signer >= content.n() || !content.committee().get(signer).equals(key.publicKey())) {
            throw new IllegalArgumentException("key: not committee member " + signer + " of " + content);
        }
        return new CupShare(content, signer, key.sign(CupContent.SHARE_DOMAIN, content.signedBody()));
    }

    /** Whether the signer's key in the content's committee made this signature. */
    public boolean verify() {
        return content.committee().get(signer).verify(CupContent.SHARE_DOMAIN, content.signedBody(), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(256 + 32 * content.n());
        w.u8(VERSION);
        content.write(w);
        w.u32(signer).fixed(signature);
        return w.toByteArray();
    }

    /** @throws DecodeException if the bytes are not exactly one share of this version */
    public static CupShare decode(byte[] frame) throws DecodeException {
        CanonicalReader r = new CanonicalReader(frame);
        int v = r.u8();
        if (v != VERSION) {
            throw new DecodeException(0, "catch-up package share: version " + v + ", this replica reads " + VERSION);
        }
        CupContent content = CupContent.read(r);
        int at = r.offset();
        int signer = r.u32(content.n() - 1, "signer");
        byte[] signature = r.fixed(PublicKey.SIGNATURE_LENGTH);
        r.expectEnd();
        try {
            return new CupShare(content, signer, signature);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(at, e.getMessage());
        }
    }
}
