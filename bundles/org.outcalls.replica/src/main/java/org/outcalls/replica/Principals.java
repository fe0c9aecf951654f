package org.outcalls.replica;

import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.internal.Domains;
import org.outcalls.replica.internal.codec.Sha256;

/** Principal ids: how callers and admins are named in messages and in {@code CallContext.caller()}. */
public final class Principals {
    private Principals() {
    }

    /** The principal of an Ed25519 public key: 64 lower-case hex digits of its domain-separated SHA-256. */
    public static String ofKey(PublicKey key) {
        return Sha256.hex(Sha256.hash(Domains.PRINCIPAL, key.bytes()));
    }
}
