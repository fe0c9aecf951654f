package org.outcalls.replica.internal.ingress;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.outcalls.consensus.Block;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.ExecutableBlock;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.OutcallDelivery;
import org.outcalls.replica.internal.codec.Sha256;

/**
 * The payload of the {@code ingress} block section: a count, then each message's encoding as
 * length-prefixed bytes, in execution order. A block without ingress leaves the section out
 * rather than carrying an empty list.
 */
public final class IngressPayload {
    /** The section's name in a block. */
    public static final String SECTION = "ingress";
    /** Most messages one block carries. */
    public static final int MAX_MESSAGES = 1000;

    private IngressPayload() {
    }

    /** The payload for {@code messages}; an empty array for none. */
    public static byte[] encode(List<IngressMessage> messages) {
        if (messages.isEmpty()) {
            return new byte[0];
        }
        if (messages.size() > MAX_MESSAGES) {
            throw new IllegalArgumentException("ingress payload: " + messages.size() + " messages; at most "
                    + MAX_MESSAGES + " are allowed");
        }
        int size = 4;
        for (IngressMessage m : messages) {
            size += 4 + m.encodedSize();
        }
        CanonicalWriter w = new CanonicalWriter(size);
        w.u32(messages.size());
        for (IngressMessage m : messages) {
            w.bytes(m.encode());
        }
        return w.toByteArray();
    }

    /** Encoded size of a payload of messages of these encoded sizes. */
    public static long encodedSize(int messageCount, long messageBytes) {
        return messageCount == 0 ? 0 : 4L + 4L * messageCount + messageBytes;
    }

    /**
     * Decodes a payload (empty bytes: no messages); checks encoding and sizes, not signatures.
     *
     * @throws DecodeException naming what is wrong
     */
    public static List<IngressMessage> decode(byte[] payload) throws DecodeException {
        if (payload.length == 0) {
            return List.of();
        }
        CanonicalReader in = new CanonicalReader(payload);
        int n = in.u32(MAX_MESSAGES, "ingress message count");
        if (n == 0) {
            throw new DecodeException(0, "an ingress payload without messages must be left out of the block");
        }
        List<IngressMessage> messages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = in.offset();
            byte[] bytes = in.bytes(IngressMessage.MAX_ENCODED_BYTES, "ingress message " + i);
            try {
                messages.add(IngressMessage.decode(bytes));
            } catch (DecodeException e) {
                throw new DecodeException(at, "ingress message " + i + ": " + e.getMessage());
            }
        }
        in.expectEnd();
        return messages;
    }

    /** The messages of a block's ingress section. */
    public static List<IngressMessage> of(Block block) throws DecodeException {
        return decode(block.payloadOf(SECTION));
    }

    /**
     * The hex ids of a payload's messages, in order, without decoding the messages (for checking
     * duplicates against ancestors cheaply).
     */
    public static Set<String> ids(byte[] payload) throws DecodeException {
        Set<String> ids = new LinkedHashSet<>();
        if (payload.length == 0) {
            return ids;
        }
        CanonicalReader in = new CanonicalReader(payload);
        int n = in.u32(MAX_MESSAGES, "ingress message count");
        byte[] prefix = IngressMessage.DOMAIN.prefix();
        MessageDigest d = Sha256.newDigest();
        for (int i = 0; i < n; i++) {
            int length = in.u32(IngressMessage.MAX_ENCODED_BYTES, "ingress message " + i + " length");
            int start = in.offset();
            if (length < org.outcalls.crypto.PublicKey.SIGNATURE_LENGTH || in.remaining() < length) {
                throw new DecodeException(start, "ingress message " + i + ": truncated");
            }
            d.update(prefix);
            d.update(payload, start, length - org.outcalls.crypto.PublicKey.SIGNATURE_LENGTH);
            ids.add(Sha256.hex(d.digest()));
            in.fixed(length);
        }
        in.expectEnd();
        return ids;
    }

    /**
     * The executable part of a finalized consensus block: block time in milliseconds (the block's
     * nanoseconds, rounded down), the block hash, the {@code ingress} section's messages, and the
     * deliveries the caller decoded from the outcall section.
     *
     * @throws DecodeException if the ingress section is malformed (a validated block never is)
     */
    public static ExecutableBlock executableBlock(Block block, List<OutcallDelivery> deliveries) throws DecodeException {
        return new ExecutableBlock(block.height(), ExecutableBlock.millis(block.time()), block.hash().bytes(), of(block),
                deliveries);
    }
}
