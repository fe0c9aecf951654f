package org.outcalls.consensus.outcall;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Decimals;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Policies;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectKind;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * Checks a delivered result against its certificate and the subnet's public keys, offline: the
 * signatures, that the shares answer one request on this subnet, and that they carry the result by
 * the rule of the policy that decided it.
 */
public final class CertificateVerifier {

    /** The outcome of a verification, with what was checked or what failed. */
    public record Verdict(boolean genuine, String explanation) {
        static Verdict no(String why) {
            return new Verdict(false, why);
        }
    }

    private CertificateVerifier() {
    }

    /** @param claimed the result as delivered: exactly one of response, value, reject is non-null */
    public static Verdict verify(byte[] certificate, Hash subnetId, List<PublicKey> members, HttpResponse response,
                                 AggregateValue value, Reject reject) {
        OutcallItem item;
        try {
            item = OutcallItem.decode(certificate);
        } catch (DecodeException e) {
            return Verdict.no("the certificate does not decode: " + e.getMessage());
        }
        int n = members.size();
        int f = (n - 1) / 3;
        if (item.shares().isEmpty()) {
            return Verdict.no("the certificate has no shares");
        }
        BatchVerifier verifier = new BatchVerifier(16);
        ShareMetadata first = item.shares().get(0).metadata();
        int previous = -1;
        for (SignedShare s : item.shares()) {
            ShareMetadata m = s.metadata();
            if (s.signer() <= previous || s.signer() >= n) {
                return Verdict.no("share of replica " + s.signer() + " is out of order or not a member of a subnet of " + n);
            }
            previous = s.signer();
            if (!m.subnetId().equals(subnetId)) {
                return Verdict.no("share of replica " + s.signer() + " is for subnet " + m.subnetId().shortHex()
                        + ", not " + subnetId.shortHex());
            }
            if (m.callbackId() != item.callbackId() || !m.contextDigest().equals(item.contextDigest())
                    || !m.policy().equals(item.policy()) || !m.sameRequestAs(first)) {
                return Verdict.no("share of replica " + s.signer() + " answers another request");
            }
            if (!s.verify(members.get(s.signer()), verifier)) {
                return Verdict.no("share of replica " + s.signer() + " has a bad signature");
            }
        }
        int signed = item.shares().size();
        String policy = item.policyName();
        int needed = Policies.SINGLE_REPLICA.equals(policy) ? 1 : n - f;
        switch (item.outcome()) {
            case CONTENT -> {
                if ((response == null) == (reject == null) || value != null) {
                    return Verdict.no("the certificate is for an agreed response or reject, but the result is not one");
                }
                byte[] content = response != null ? OutcallCodec.encode(response) : OutcallCodec.encode(reject);
                long agreeing = item.shares().stream()
                        .filter(s -> s.metadata().contentHash().equals(ContentHash.of(s.metadata().transform(), content)))
                        .count();
                if (agreeing < needed) {
                    return Verdict.no(agreeing + " of " + n + " replicas signed this " + (response != null ? "response" : "reject")
                            + "; policy " + policy + " needs " + needed);
                }
                return new Verdict(true, agreeing + " of " + n + " replicas signed this " + (response != null ? "response" : "reject")
                        + " (policy " + item.policy() + " needs " + needed + ")" + weak(policy));
            }
            case VALUE -> {
                if (value == null) {
                    return Verdict.no("the certificate is for an aggregate value, but the result has none");
                }
                List<BigDecimal> values = new ArrayList<>();
                for (int i = 0; i < item.shareContents().size() && i < signed; i++) {
                    byte[] c = item.shareContents().get(i);
                    ShareMetadata m = item.shares().get(i).metadata();
                    if (!ContentHash.of(m.transform(), c).equals(m.contentHash())) {
                        return Verdict.no("value of replica " + item.shares().get(i).signer() + " does not match its signed hash");
                    }
                    try {
                        OutcallCodec.Content decoded = OutcallCodec.decode(c);
                        // as the median policy reads it: a decimal outside the range is no value
                        values.add(Decimals.parse(new String(decoded.response().body(), StandardCharsets.UTF_8).strip(),
                                "value"));
                    } catch (DecodeException | RuntimeException e) {
                        return Verdict.no("value of replica " + item.shares().get(i).signer()
                                + " is not a decimal within the decimal range");
                    }
                }
                if (values.size() != signed || signed < needed) {
                    return Verdict.no(values.size() + " signed values; policy " + policy + " needs " + needed);
                }
                values.sort(BigDecimal::compareTo);
                BigDecimal median = values.get((values.size() - 1) / 2);
                if (median.compareTo(value.value()) != 0 || values.size() != value.count()
                        || values.get(0).compareTo(value.min()) != 0 || values.get(values.size() - 1).compareTo(value.max()) != 0) {
                    return Verdict.no("the signed values give median " + median + " of " + values.size() + " (min " + values.get(0)
                            + ", max " + values.get(values.size() - 1) + "), not the result's " + value);
                }
                return new Verdict(true, "median " + median + " of " + signed + " signed values from " + n + " replicas");
            }
            case DIVERGENT -> {
                if (reject == null || reject.kind() != RejectKind.NO_CONSENSUS || !reject.message().equals(item.message())) {
                    return Verdict.no("the certificate proves no consensus, but the result is not that reject");
                }
                Map<Hash, Integer> groups = new HashMap<>();
                item.shares().forEach(s -> groups.merge(s.metadata().contentHash(), 1, Integer::sum));
                int largest = groups.values().stream().max(Integer::compare).orElse(0);
                int unseen = n - signed;
                if (largest + unseen >= n - f) {
                    return Verdict.no("the shares do not prove divergence: " + largest + " identical and " + unseen
                            + " unseen could still reach " + (n - f));
                }
                return new Verdict(true, signed + " signed responses in " + groups.size() + " groups; no response can reach "
                        + (n - f) + " of " + n);
            }
            default -> {
                return Verdict.no("unknown outcome");
            }
        }
    }

    private static String weak(String policy) {
        return Policies.SINGLE_REPLICA.equals(policy)
                ? "; single-replica: one replica's word, which that replica alone could have made up" : "";
    }
}
