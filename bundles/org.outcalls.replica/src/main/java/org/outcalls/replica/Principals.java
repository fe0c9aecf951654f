package org.outcalls.replica;

import org.outcalls.replica.internal.codec.CanonicalOutput;
import org.outcalls.replica.internal.codec.Sha256;

/** Principal ids: how callers and admins are named in messages and in {@code CallContext.caller()}. */
public final class Principals {
    private Principals() {
    }

    /** The principal of an Ed25519 public key: lower-case hex of SHA-256 over the domain-tagged key. */
    public static String ofKey(byte[] publicKey) {
        return Sha256.hex(Sha256.hash(new CanonicalOutput().domain("outcalls/principal/v1").bytes(publicKey).toByteArray()));
    }
}
