package org.outcalls.replica;

import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/** Principal ids: how callers and admins are named in messages and in {@code CallContext.caller()}. */
public final class Principals {
    private Principals() {
    }

    /** The principal of an Ed25519 public key: 64 lower-case hex digits of its domain-separated SHA-256. */
    public static String ofKey(PublicKey key) {
        return Hash.of(Domains.PRINCIPAL, key.bytes()).hex();
    }
}
