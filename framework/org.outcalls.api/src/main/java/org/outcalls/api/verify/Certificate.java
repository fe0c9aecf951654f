package org.outcalls.api.verify;

import java.math.BigDecimal;
import java.util.List;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Decimals;
import org.outcalls.api.Limits;

/**
 * A result's certificate, decoded: the outcall item of the block that decided it, without the
 * agreed content (as {@code org.outcalls.consensus.outcall.OutcallItem} encodes it). Decoding is
 * as strict as the replicas' own: bounded lengths, no trailing bytes, decimals within the range.
 *
 * @param contextDigest the request context's digest (hex): what every share must have signed
 * @param seed          the hash of the block that opened the request (hex)
 * @param content       the agreed content; empty in certificates (the result carries it)
 * @param shareContents each share's content in share order, for policies that carry them (median)
 * @param value         the aggregate, for {@link Outcome#VALUE}; null otherwise
 * @param message       the no-consensus message, for {@link Outcome#DIVERGENT}; empty otherwise
 */
public record Certificate(long callbackId, String contextDigest, String seed, String policyName, String policyVersion,
                          Outcome outcome, List<Share> shares, byte[] content, List<byte[]> shareContents,
                          AggregateValue value, String message) {
    /** What the shares decided: an agreed content (response or reject), an aggregate value, or no consensus. */
    public enum Outcome { CONTENT, VALUE, DIVERGENT }

    /** Header bytes plus body of the largest valid response, plus the length prefixes of 64 headers. */
    static final int MAX_CONTENT_BYTES = (int) Limits.MAX_RESPONSE_BYTES + 16 * 1024;
    private static final int MAX_MESSAGE_BYTES = 4 * 4096;

    public Certificate {
        shares = List.copyOf(shares);
        content = content.clone();
        shareContents = shareContents.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public List<byte[]> shareContents() {
        return shareContents.stream().map(byte[]::clone).toList();
    }

    /** {@code name@version} of the policy that decided it. */
    public String policy() {
        return policyName + "@" + policyVersion;
    }

    /** Decodes a certificate's bytes (the base64 of a result document's {@code certificate}, decoded). */
    public static Certificate decode(byte[] bytes) throws DocumentException {
        CanonicalInput in = new CanonicalInput(bytes, "certificate");
        long callbackId = in.i64(0, Long.MAX_VALUE, "callback id");
        String context = in.hash();
        String seed = in.hash();
        String policyName = in.string(Share.MAX_NAME_BYTES, "policy name");
        String policyVersion = in.string(Share.MAX_NAME_BYTES, "policy version");
        int o = in.u8();
        if (o >= Outcome.values().length) {
            throw in.error(in.offset(), "outcome " + o + " is unknown");
        }
        List<Share> shares = in.list(Share.MAX_SIGNER + 1, "shares", Share::read);
        byte[] content = in.bytes(MAX_CONTENT_BYTES, "content");
        List<byte[]> shareContents = in.list(Share.MAX_SIGNER + 1, "share contents",
                r -> r.bytes(MAX_CONTENT_BYTES, "share content"));
        AggregateValue value = null;
        if (in.bool()) {
            BigDecimal median = decimal(in, "value");
            int count = in.i32();
            BigDecimal min = decimal(in, "min");
            BigDecimal max = decimal(in, "max");
            try {
                value = new AggregateValue(median, count, min, max);
            } catch (IllegalArgumentException e) {
                throw in.error(in.offset(), "invalid aggregate value: " + e.getMessage());
            }
        }
        String message = in.string(MAX_MESSAGE_BYTES, "message");
        if ((Outcome.values()[o] == Outcome.VALUE) != (value != null)) {
            throw in.error(in.offset(), "an aggregate value belongs to, and only to, a VALUE outcome");
        }
        in.expectEnd();
        return new Certificate(callbackId, context, seed, policyName, policyVersion, Outcome.values()[o], shares, content,
                shareContents, value, message);
    }

    /** A decimal within the decimal range: nothing here depends on the size of signed data. */
    private static BigDecimal decimal(CanonicalInput in, String what) throws DocumentException {
        int at = in.offset();
        String s = in.string(Decimals.MAX_TEXT_CHARS, what);
        try {
            return Decimals.parse(s, what);
        } catch (IllegalArgumentException e) {
            throw in.error(at, e.getMessage());
        }
    }
}
