package org.outcalls.replica;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

/**
 * A call from outside the subnet, signed by the caller's Ed25519 key: the subnet it is meant for,
 * canister id, method, argument, the sender's public key, a nonce and an expiry (Unix ms). The
 * subnet id is signed so that a message (an admin message, say) cannot be replayed on another
 * subnet that trusts the same key. The sender signs
 * {@link #DOMAIN}{@code .message(}{@link #content()}{@code )}; the message id is the SHA-256 of
 * exactly those signed bytes, so it does not depend on the signature. A replica executes each id
 * at most once. Instances are immutable and within the size limits; the signature is checked by
 * {@link #verifySignature()}.
 */
public final class IngressMessage {
    /** The signing domain of ingress messages. */
    public static final Domain DOMAIN = Domains.INGRESS;
    public static final int MAX_CANISTER_ID_BYTES = Names.MAX_CANISTER_ID_BYTES;
    public static final int MAX_METHOD_BYTES = Names.MAX_METHOD_BYTES;
    /**
     * Largest argument: room for the largest valid outcall request (2,000,000 bytes of headers and
     * body) with its URL, transform context and framing, while a message still fits in one block's
     * payload (2 MiB for all sections, {@code Block.MAX_PAYLOAD_BYTES}).
     */
    public static final int MAX_ARGUMENT_BYTES = (int) org.outcalls.api.Limits.MAX_REQUEST_BYTES + 64 * 1024;
    /** Largest encoded message (content and signature). */
    public static final int MAX_ENCODED_BYTES = MAX_ARGUMENT_BYTES + 1024;
    /** How far past block time an expiry may lie. */
    public static final long MAX_EXPIRY_AHEAD_MILLIS = 5 * 60_000L;

    private final Hash subnetId;
    private final String canisterId;
    private final String method;
    private final byte[] argument;
    private final PublicKey sender;
    private final long nonce;
    private final long expiryMillis;
    private final byte[] signature;
    private final byte[] content;
    private final Hash id;
    private volatile Boolean signatureValid;

    private IngressMessage(Hash subnetId, String canisterId, String method, byte[] argument, PublicKey sender, long nonce,
                           long expiryMillis, byte[] signature) {
        this.content = content(subnetId, canisterId, method, argument, sender, nonce, expiryMillis);
        this.subnetId = subnetId;
        this.canisterId = canisterId;
        this.method = method;
        this.argument = argument;
        this.sender = sender;
        this.nonce = nonce;
        this.expiryMillis = expiryMillis;
        Objects.requireNonNull(signature, "signature");
        if (signature.length != PublicKey.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature: " + signature.length + " bytes; an Ed25519 signature has "
                    + PublicKey.SIGNATURE_LENGTH);
        }
        this.signature = signature;
        this.id = Hash.of(DOMAIN, content);
    }

    /**
     * The canonical content the sender signs in {@link #DOMAIN}; checks every field and its limit.
     *
     * @throws IllegalArgumentException naming the field and the limit
     */
    public static byte[] content(Hash subnetId, String canisterId, String method, byte[] argument, PublicKey sender,
                                 long nonce, long expiryMillis) {
        Objects.requireNonNull(subnetId, "subnet_id");
        Names.checkCanisterId("canister_id", canisterId);
        Names.checkMethod("method", method);
        Objects.requireNonNull(argument, "argument");
        if (argument.length > MAX_ARGUMENT_BYTES) {
            throw new IllegalArgumentException("argument: " + argument.length + " bytes; at most "
                    + MAX_ARGUMENT_BYTES + " are allowed");
        }
        Objects.requireNonNull(sender, "sender");
        if (expiryMillis < 0) {
            throw new IllegalArgumentException("expiry: must not be negative (was " + expiryMillis + ")");
        }
        return new CanonicalWriter(argument.length + 160).hash(subnetId).string(canisterId).string(method).bytes(argument)
                .fixed(sender.bytes()).i64(nonce).i64(expiryMillis).toByteArray();
    }

    /** Makes a message and signs it with {@code key}; the sender is {@code key}'s public key. */
    public static IngressMessage sign(Hash subnetId, String canisterId, String method, byte[] argument, long nonce,
                                      long expiryMillis, NodeKey key) {
        byte[] content = content(subnetId, canisterId, method, argument, key.publicKey(), nonce, expiryMillis);
        return of(subnetId, canisterId, method, argument, key.publicKey(), nonce, expiryMillis, key.sign(DOMAIN, content));
    }

    /** A message with a signature made elsewhere over {@code DOMAIN.message(content(...))}. */
    public static IngressMessage of(Hash subnetId, String canisterId, String method, byte[] argument, PublicKey sender,
                                    long nonce, long expiryMillis, byte[] signature) {
        return new IngressMessage(subnetId, canisterId, method, argument.clone(), sender, nonce, expiryMillis,
                signature.clone());
    }

    /** The canonical encoding: content, then the 64 signature bytes. */
    public byte[] encode() {
        return new CanonicalWriter(content.length + signature.length).fixed(content).fixed(signature).toByteArray();
    }

    /**
     * Decodes a message; checks the encoding and every size, not the signature.
     *
     * @throws DecodeException naming the field and the limit
     */
    public static IngressMessage decode(byte[] bytes) throws DecodeException {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new DecodeException(0, "ingress message: " + bytes.length + " bytes; at most "
                    + MAX_ENCODED_BYTES + " are allowed");
        }
        CanonicalReader in = new CanonicalReader(bytes);
        Hash subnetId = in.hash();
        String canisterId = in.string(MAX_CANISTER_ID_BYTES, "canister_id");
        String method = in.string(MAX_METHOD_BYTES, "method");
        byte[] argument = in.bytes(MAX_ARGUMENT_BYTES, "argument");
        PublicKey sender = PublicKey.wrap(in.fixed(PublicKey.LENGTH));
        long nonce = in.i64();
        long expiry = in.i64();
        byte[] signature = in.fixed(PublicKey.SIGNATURE_LENGTH);
        in.expectEnd();
        try {
            return new IngressMessage(subnetId, canisterId, method, argument, sender, nonce, expiry, signature);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(0, "ingress message: " + e.getMessage());
        }
    }

    /**
     * Whether the signature verifies against the sender's key and the content. Computed once per
     * message object; other copies of the message in this JVM (pool admission, validation by each
     * replica, execution) find it in the process-wide memory of {@link PublicKey#verify}.
     */
    public boolean verifySignature() {
        Boolean v = signatureValid;
        if (v == null) {
            v = sender.verify(DOMAIN, content, signature);
            signatureValid = v;
        }
        return v;
    }

    /**
     * Whether the message may be executed at {@code blockTimeMillis}: not expired, and not more
     * than {@link #MAX_EXPIRY_AHEAD_MILLIS} ahead.
     *
     * @return the problem, or empty
     */
    public Optional<String> checkExpiry(long blockTimeMillis) {
        if (expiryMillis < blockTimeMillis) {
            return Optional.of("expired: expiry " + expiryMillis + " is before block time " + blockTimeMillis);
        }
        if (expiryMillis - blockTimeMillis > MAX_EXPIRY_AHEAD_MILLIS) {
            return Optional.of("expiry " + expiryMillis + " is " + (expiryMillis - blockTimeMillis)
                    + " ms after block time " + blockTimeMillis + "; at most " + MAX_EXPIRY_AHEAD_MILLIS
                    + " ms are allowed");
        }
        return Optional.empty();
    }

    public boolean isExpired(long blockTimeMillis) {
        return expiryMillis < blockTimeMillis;
    }

    /** The subnet the sender meant the message for. */
    public Hash subnetId() {
        return subnetId;
    }

    /** Null if the message is meant for {@code subnet} (hex); else why it is not. */
    public String wrongSubnet(String subnet) {
        return subnetId.hex().equals(subnet) ? null
                : "subnet: the message is signed for subnet " + subnetId.hex() + ", not this subnet " + subnet;
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

    public PublicKey sender() {
        return sender;
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

    /** The signed content (without the domain prefix). */
    public byte[] content() {
        return content.clone();
    }

    /** SHA-256 of the signed bytes. */
    public Hash id() {
        return id;
    }

    /** Lower-case hex of {@link #id()}: the message id in REST and in {@code CallContext.messageId()}. */
    public String idHex() {
        return id.hex();
    }

    /** Encoded size in bytes. */
    public int encodedSize() {
        return content.length + signature.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IngressMessage m && Arrays.equals(content, m.content)
                && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "IngressMessage[" + id.shortHex() + " for " + subnetId.shortHex() + " " + canisterId + "." + method + ", " + argument.length
                + " argument bytes, expiry " + expiryMillis + "]";
    }
}
