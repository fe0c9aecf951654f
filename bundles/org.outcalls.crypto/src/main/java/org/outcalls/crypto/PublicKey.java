package org.outcalls.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A node's Ed25519 public key (32 bytes). Immutable and thread-safe. */
public final class PublicKey implements Comparable<PublicKey> {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    /**
     * Keys wrapped lately, shared: decoding a key checks its point and hashes its id, which costs as
     * much as a signature check, and every ingress message carries its sender's key. Bounded; the
     * objects are immutable, so sharing them changes nothing but the cost.
     */
    private static final Map<ByteBuffer, PublicKey> KNOWN = new ConcurrentHashMap<>();
    private static final int KNOWN_LIMIT = 4096;

    private final byte[] bytes;
    private final Ed25519PublicKeyParameters params;
    private final String nodeId;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
        this.params = new Ed25519PublicKeyParameters(bytes, 0);
        this.nodeId = Hash.of(Domain.NODE_ID, bytes).hex().substring(0, 10);
    }

    /** Wraps 32 bytes (copied). Any 32 bytes are accepted; an invalid point simply never verifies. */
    public static PublicKey wrap(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("public key: must be " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        ByteBuffer lookup = ByteBuffer.wrap(bytes);
        PublicKey known = KNOWN.get(lookup);
        if (known != null) {
            return known;
        }
        PublicKey key = new PublicKey(bytes.clone());
        if (KNOWN.size() >= KNOWN_LIMIT) {
            KNOWN.clear();
        }
        KNOWN.put(ByteBuffer.wrap(key.bytes), key);
        return key;
    }

    public static PublicKey fromHex(String hex) {
        return wrap(HexFormat.of().parseHex(hex));
    }

    /**
     * Verifies an Ed25519 signature over {@code domain.message(body)}. Returns false (never throws)
     * for a signature of the wrong length or from another key, domain or body. Successes are
     * remembered process-wide (bounded), as is every signature {@link NodeKey#sign} made in this JVM,
     * and a check another thread is making of the same signature is waited for, so replicas sharing
     * a JVM check each signature at most once, and none that one of them made while it is remembered.
     */
    public boolean verify(Domain domain, byte[] body, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH || body == null) {
            return false;
        }
        byte[] prefix = domain.prefix();
        return VerifiedSignatures.check(VerifiedSignatures.digest(bytes, prefix, body, signature),
                () -> checkOnCurve(prefix, body, signature));
    }

    private boolean checkOnCurve(byte[] prefix, byte[] body, byte[] signature) {
        Ed25519Work.verified();
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, params);
        v.update(prefix, 0, prefix.length);
        v.update(body, 0, body.length);
        try {
            return v.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** A short, stable node id for logs and status: 10 hex digits of the key's hash. */
    public String nodeId() {
        return nodeId;
    }

    /** The key's bytes, not copied: for digests within this package only. */
    byte[] raw() {
        return bytes;
    }

    Ed25519PublicKeyParameters params() {
        return params;
    }

    @Override
    public int compareTo(PublicKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "node-" + nodeId;
    }
}
