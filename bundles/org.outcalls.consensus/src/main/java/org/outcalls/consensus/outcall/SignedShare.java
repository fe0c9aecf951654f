package org.outcalls.consensus.outcall;

import java.util.Objects;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.PublicKey;

/** A share as gossiped and included in blocks: the metadata, who signed it, and the batch signature. */
public record SignedShare(ShareMetadata metadata, int signer, BatchSignature signature) {
    /** Largest subnet whose shares a decoder accepts. */
    public static final int MAX_SIGNER = 1023;

    public SignedShare {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(signature, "signature");
        if (signer < 0 || signer > MAX_SIGNER) {
            throw new IllegalArgumentException("signer: " + signer + " is not within 0.." + MAX_SIGNER);
        }
    }

    public boolean verify(PublicKey key, BatchVerifier verifier) {
        return verifier.verify(key, OutcallDomains.SHARE, metadata.encode(), signature);
    }

    public void write(CanonicalWriter w) {
        metadata.write(w);
        w.u16(signer);
        signature.encode(w);
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(512);
        write(w);
        return w.toByteArray();
    }

    public static SignedShare read(CanonicalReader in) throws DecodeException {
        ShareMetadata metadata = ShareMetadata.read(in);
        int signer = in.u16();
        if (signer > MAX_SIGNER) {
            throw new DecodeException(in.offset(), "signer " + signer + " exceeds " + MAX_SIGNER);
        }
        return new SignedShare(metadata, signer, BatchSignature.decode(in));
    }

    public static SignedShare decode(byte[] bytes) throws DecodeException {
        CanonicalReader in = new CanonicalReader(bytes);
        SignedShare s = read(in);
        in.expectEnd();
        return s;
    }
}
