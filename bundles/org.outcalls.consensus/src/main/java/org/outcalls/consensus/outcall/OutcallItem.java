package org.outcalls.consensus.outcall;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Decimals;
import org.outcalls.api.Limits;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;

/**
 * One decided outcall in a block: the request it answers, the signed shares that decide it, and
 * what they decide — an agreed content (a response or a reject), an aggregate value, or proof of
 * divergence. Validators check it from these fields alone.
 *
 * @param content       the agreed content, for {@link Outcome#CONTENT}; empty otherwise (and in certificates)
 * @param shareContents each share's content in share order, for policies that carry them; else empty
 * @param value         the aggregate, for {@link Outcome#VALUE}; null otherwise
 * @param message       the divergence message, for {@link Outcome#DIVERGENT}; empty otherwise
 */
public record OutcallItem(long callbackId, Hash contextDigest, Hash seed, String policyName, String policyVersion,
                          Outcome outcome, List<SignedShare> shares, byte[] content, List<byte[]> shareContents,
                          AggregateValue value, String message) {

    public enum Outcome { CONTENT, VALUE, DIVERGENT }

    public OutcallItem {
        Objects.requireNonNull(contextDigest, "contextDigest");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(outcome, "outcome");
        shares = List.copyOf(shares);
        content = content == null ? new byte[0] : content;
        shareContents = List.copyOf(shareContents);
        message = message == null ? "" : message;
        if ((outcome == Outcome.VALUE) != (value != null)) {
            throw new IllegalArgumentException("an aggregate value belongs to, and only to, a VALUE outcome");
        }
    }

    public String policy() {
        return policyName + "@" + policyVersion;
    }

    /** The same item without the agreed content: what a certificate carries beside the result. */
    public OutcallItem withoutContent() {
        return new OutcallItem(callbackId, contextDigest, seed, policyName, policyVersion, outcome, shares, new byte[0],
                shareContents, value, message);
    }

    public void write(CanonicalWriter w) {
        w.i64(callbackId).hash(contextDigest).hash(seed).string(policyName).string(policyVersion).u8(outcome.ordinal());
        w.list(shares, (sw, s) -> s.write(sw));
        w.bytes(content);
        w.list(shareContents, CanonicalWriter::bytes);
        w.bool(value != null);
        if (value != null) {
            w.string(value.value().toString()).i32(value.count()).string(value.min().toString()).string(value.max().toString());
        }
        w.string(message);
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(content.length + 512 * shares.size() + 256);
        write(w);
        return w.toByteArray();
    }

    public static OutcallItem read(CanonicalReader in) throws DecodeException {
        long callbackId = in.i64(0, Long.MAX_VALUE, "callback id");
        Hash context = in.hash();
        Hash seed = in.hash();
        String policyName = in.string(ShareMetadata.MAX_NAME_BYTES, "policy name");
        String policyVersion = in.string(ShareMetadata.MAX_NAME_BYTES, "policy version");
        int o = in.u8();
        if (o >= Outcome.values().length) {
            throw new DecodeException(in.offset(), "outcome " + o + " is unknown");
        }
        List<SignedShare> shares = in.list(SignedShare.MAX_SIGNER + 1, "shares", SignedShare::read);
        byte[] content = in.bytes(OutcallCodec.MAX_CONTENT_BYTES, "content");
        List<byte[]> shareContents = in.list(SignedShare.MAX_SIGNER + 1, "share contents",
                r -> r.bytes(OutcallCodec.MAX_CONTENT_BYTES, "share content"));
        AggregateValue value = null;
        if (in.bool()) {
            try {
                value = new AggregateValue(decimal(in, "value"), in.i32(), decimal(in, "min"), decimal(in, "max"));
            } catch (IllegalArgumentException e) {
                throw new DecodeException(in.offset(), "invalid aggregate value: " + e.getMessage());
            }
        }
        String message = in.string(4 * 4096, "message");
        try {
            return new OutcallItem(callbackId, context, seed, policyName, policyVersion, Outcome.values()[o], shares,
                    content, shareContents, value, message);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(in.offset(), e.getMessage());
        }
    }

    public static OutcallItem decode(byte[] bytes) throws DecodeException {
        CanonicalReader in = new CanonicalReader(bytes);
        OutcallItem item = read(in);
        in.expectEnd();
        return item;
    }

    /**
     * A decimal of the aggregate: an RFC 8259 number within the decimal range, so that nothing
     * that executes a block (a canister rendering {@code 1e999999999}) depends on the size of agreed data.
     * Every in-range value's {@link BigDecimal#toString()} fits the length read.
     */
    private static BigDecimal decimal(CanonicalReader in, String what) throws DecodeException {
        int at = in.offset();
        String s = in.string(Decimals.MAX_TEXT_CHARS, what);
        try {
            return Decimals.parse(s, what);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(at, e.getMessage());
        }
    }

    /** Upper bound of an encoded payload of outcall items (DESIGN.md: 2 MiB per block). */
    public static final long MAX_PAYLOAD_BYTES = Limits.MAX_OUTCALL_PAYLOAD_BYTES;
}
