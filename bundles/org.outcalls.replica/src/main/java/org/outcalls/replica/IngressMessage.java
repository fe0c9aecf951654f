package org.outcalls.replica;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.outcalls.replica.internal.Names;
import org.outcalls.replica.internal.codec.CanonicalInput;
import org.outcalls.replica.internal.codec.CanonicalOutput;
import org.outcalls.replica.internal.codec.MalformedInputException;
import org.outcalls.replica.internal.codec.Sha256;
import org.outcalls.replica.internal.crypto.Ed25519;

/**
 * A call from outside the subnet, signed by the caller's Ed25519 key: canister id, method,
 * argument, the sender's public key, a nonce and an expiry. Its id is SHA-256 of the signed
 * content ({@link #signedBytes()}), so a message has one id whatever its signature bytes; a
 * replica executes each id at most once. Instances are immutable and within the size limits.
 */
public final class IngressMessage {
    public static final String DOMAIN = "outcalls/ingress/v1";
    public static final int MAX_CANISTER_ID_BYTES = Names.MAX_CANISTER_ID_BYTES;
    public static final int MAX_METHOD_BYTES = Names.MAX_METHOD_BYTES;
    /** Largest argument: room for a maximal outcall request (2,000,000 bytes) as base64 in JSON. */
    public static final int MAX_ARGUMENT_BYTES = 3 * 1024 * 1024;
    /** Largest encoded message. */
    public static final int MAX_ENCODED_BYTES = MAX_ARGUMENT_BYTES + 1024;
    /** How far past block time an expiry may lie. */
    public static final long MAX_EXPIRY_AHEAD_MILLIS = 5 * 60_000L;

    private final String canisterId;
    private final String method;
    private final byte[] argument;
    private final byte[] sender;
    private final long nonce;
    private final long expiryMillis;
    private final byte[] signature;
    private final byte[] signedBytes;
    private final byte[] id;
    private volatile Boolean signatureValid;

    private IngressMessage(String canisterId, String method, byte[] argument, byte[] sender, long nonce,
                           long expiryMillis, byte[] signature) {
        this.canisterId = checkCanisterId(canisterId);
        this.method = Names.checkMethod("method", method);
        Objects.requireNonNull(argument, "argument");
        if (argument.length > MAX_ARGUMENT_BYTES) {
            throw new IllegalArgumentException("argument: " + argument.length + " bytes; at most "
                    + MAX_ARGUMENT_BYTES + " are allowed");
        }
        this.argument = argument;
        Objects.requireNonNull(sender, "sender");
        if (sender.length != Ed25519.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("sender: " + sender.length + " bytes; an Ed25519 public key has "
                    + Ed25519.PUBLIC_KEY_BYTES);
        }
        this.sender = sender;
        this.nonce = nonce;
        if (expiryMillis < 0) {
            throw new IllegalArgumentException("expiry: must not be negative (was " + expiryMillis + ")");
        }
        this.expiryMillis = expiryMillis;
        Objects.requireNonNull(signature, "signature");
        if (signature.length != Ed25519.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("signature: " + signature.length + " bytes; an Ed25519 signature has "
                    + Ed25519.SIGNATURE_BYTES);
        }
        this.signature = signature;
        this.signedBytes = content(canisterId, method, argument, sender, nonce, expiryMillis);
        this.id = Sha256.hash(signedBytes);
    }

    /**
     * The bytes the sender signs: the domain-tagged canonical content.
     */
    public static byte[] signedBytes(String canisterId, String method, byte[] argument, byte[] senderPublicKey,
                                     long nonce, long expiryMillis) {
        return content(checkCanisterId(canisterId), Names.checkMethod("method", method), argument, senderPublicKey,
                nonce, expiryMillis);
    }

    /**
     * Makes and signs a message.
     *
     * @param signer signs the given bytes with the private key of {@code senderPublicKey} (Ed25519, 64 bytes)
     */
    public static IngressMessage sign(String canisterId, String method, byte[] argument, byte[] senderPublicKey,
                                      long nonce, long expiryMillis, Function<byte[], byte[]> signer) {
        byte[] content = signedBytes(canisterId, method, argument, senderPublicKey, nonce, expiryMillis);
        return of(canisterId, method, argument, senderPublicKey, nonce, expiryMillis, signer.apply(content));
    }

    /** A message with a signature made elsewhere; {@link #verifySignature()} checks it. */
    public static IngressMessage of(String canisterId, String method, byte[] argument, byte[] senderPublicKey,
                                    long nonce, long expiryMillis, byte[] signature) {
        return new IngressMessage(canisterId, method, argument.clone(), senderPublicKey.clone(), nonce, expiryMillis,
                signature.clone());
    }

    public byte[] encode() {
        CanonicalOutput out = new CanonicalOutput(signedBytes.length + signature.length);
        return out.fixed(signedBytes).fixed(signature).toByteArray();
    }

    /**
     * Decodes a message; checks encoding and sizes, not the signature.
     *
     * @throws IllegalArgumentException naming the field and the limit
     */
    public static IngressMessage decode(byte[] bytes) {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new MalformedInputException("ingress message: " + bytes.length + " bytes; at most "
                    + MAX_ENCODED_BYTES + " are allowed");
        }
        CanonicalInput in = new CanonicalInput(bytes);
        in.domain(DOMAIN);
        String canisterId = in.string("canister_id", MAX_CANISTER_ID_BYTES);
        String method = in.string("method", MAX_METHOD_BYTES);
        byte[] argument = in.bytes("argument", MAX_ARGUMENT_BYTES);
        byte[] sender = in.fixed("sender", Ed25519.PUBLIC_KEY_BYTES);
        long nonce = in.i64("nonce");
        long expiry = in.i64("expiry");
        byte[] signature = in.fixed("signature", Ed25519.SIGNATURE_BYTES);
        in.end();
        return new IngressMessage(canisterId, method, argument, sender, nonce, expiry, signature);
    }

    /** Whether the signature verifies against the sender's key and the content (computed once). */
    public boolean verifySignature() {
        Boolean v = signatureValid;
        if (v == null) {
            v = Ed25519.verify(sender, signedBytes, signature);
            signatureValid = v;
        }
        return v;
    }

    /**
     * Whether the message may be executed at {@code blockTime}: not expired, and not more than
     * {@link #MAX_EXPIRY_AHEAD_MILLIS} ahead.
     *
     * @return the problem, or empty
     */
    public Optional<String> checkExpiry(long blockTime) {
        if (expiryMillis < blockTime) {
            return Optional.of("expired: expiry " + expiryMillis + " is before block time " + blockTime);
        }
        if (expiryMillis - blockTime > MAX_EXPIRY_AHEAD_MILLIS) {
            return Optional.of("expiry " + expiryMillis + " is " + (expiryMillis - blockTime)
                    + " ms after block time " + blockTime + "; at most " + MAX_EXPIRY_AHEAD_MILLIS + " ms are allowed");
        }
        return Optional.empty();
    }

    public boolean isExpired(long blockTime) {
        return expiryMillis < blockTime;
    }

    public String canisterId() {
        return canisterId;
    }

    public String method() {
        return method;
    }

    public byte[] argument() {
        return argument.clone();
    }

    public int argumentSize() {
        return argument.length;
    }

    public byte[] senderPublicKey() {
        return sender.clone();
    }

    /** The sender's principal, what {@code CallContext.caller()} returns. */
    public String caller() {
        return Principals.ofKey(sender);
    }

    public long nonce() {
        return nonce;
    }

    public long expiryMillis() {
        return expiryMillis;
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** The signed content. */
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    /** SHA-256 of the signed content. */
    public byte[] id() {
        return id.clone();
    }

    /** Lower-case hex of {@link #id()}: the message id in REST and in {@code CallContext.messageId()}. */
    public String idHex() {
        return Sha256.hex(id);
    }

    /** Encoded size in bytes. */
    public int encodedSize() {
        return signedBytes.length + signature.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IngressMessage m && Arrays.equals(signedBytes, m.signedBytes)
                && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "IngressMessage[" + idHex().substring(0, 16) + " " + canisterId + "." + method + ", "
                + argument.length + " argument bytes, expiry " + expiryMillis + "]";
    }

    private static byte[] content(String canisterId, String method, byte[] argument, byte[] sender, long nonce,
                                  long expiryMillis) {
        return new CanonicalOutput(argument.length + 128).domain(DOMAIN).string(canisterId).string(method)
                .bytes(argument).fixed(sender).i64(nonce).i64(expiryMillis).toByteArray();
    }

    private static String checkCanisterId(String canisterId) {
        return Names.checkCanisterId("canister_id", canisterId);
    }
}
