package org.outcalls.api.verify;

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

/**
 * Checks a certificate against the subnet's keys and the result it claims to carry: every share
 * is a member's, in signer order, for this subnet and one request, and correctly signed; and the
 * shares carry the result by the rule of the policy that decided it (n − f identical shares, one
 * for single-replica, the median of n − f signed values, or proof that no response can reach
 * n − f). What request the shares answer is {@link ResultVerifier}'s part.
 */
public final class CertificateCheck {
    private CertificateCheck() {
    }

    /**
     * @param response the result's response, or null
     * @param value    the result's aggregate value, or null
     * @param reject   the result's reject, or null
     */
    public static Verdict check(byte[] certificate, SubnetKeys keys, HttpResponse response, AggregateValue value,
                                Reject reject) {
        Certificate cert;
        try {
            cert = Certificate.decode(certificate);
        } catch (DocumentException e) {
            return Verdict.refuted("certificate", "does not decode: " + e.getMessage().substring("certificate: ".length()));
        }
        return check(cert, keys, response, value, reject);
    }

    /** As {@link #check(byte[], SubnetKeys, HttpResponse, AggregateValue, Reject)}, for a decoded certificate. */
    public static Verdict check(Certificate cert, SubnetKeys keys, HttpResponse response, AggregateValue value,
                                Reject reject) {
        String problem = sharesProblem(cert, keys);
        if (problem != null) {
            return Verdict.refuted("certificate", problem);
        }
        return decide(cert, keys, response, value, reject);
    }

    /** The deciding policy's rule, for a certificate whose shares passed {@link #sharesProblem}. */
    static Verdict decide(Certificate cert, SubnetKeys keys, HttpResponse response, AggregateValue value, Reject reject) {
        int n = keys.size();
        int needed = Policies.SINGLE_REPLICA.equals(cert.policyName()) ? 1 : n - keys.faulty();
        return switch (cert.outcome()) {
            case CONTENT -> content(cert, n, needed, response, value, reject);
            case VALUE -> median(cert, n, needed, value);
            case DIVERGENT -> divergent(cert, n, n - keys.faulty(), reject);
        };
    }

    /** Null if every share is a member's, in order, for this subnet and the certificate's request, and signed; else why not. */
    static String sharesProblem(Certificate cert, SubnetKeys keys) {
        if (cert.shares().isEmpty()) {
            return "has no shares";
        }
        Share first = cert.shares().get(0);
        int previous = -1;
        for (Share s : cert.shares()) {
            if (s.signer() <= previous || s.signer() >= keys.size()) {
                return "share of replica " + s.signer() + " is out of order or not a member of a subnet of " + keys.size();
            }
            previous = s.signer();
            if (!s.subnetId().equals(keys.subnetId())) {
                return "share of replica " + s.signer() + " is for subnet " + s.subnetId().substring(0, 8) + ", not "
                        + keys.subnetId().substring(0, 8);
            }
            if (s.callbackId() != cert.callbackId() || !s.contextDigest().equals(cert.contextDigest())
                    || !s.policy().equals(cert.policy()) || !s.sameRequestAs(first)) {
                return "share of replica " + s.signer() + " answers another request";
            }
            if (!s.signedBy(keys.key(s.signer()))) {
                return "share of replica " + s.signer() + " has a bad signature";
            }
        }
        return null;
    }

    private static Verdict content(Certificate cert, int n, int needed, HttpResponse response, AggregateValue value,
                                   Reject reject) {
        if ((response == null) == (reject == null) || value != null) {
            return Verdict.refuted(response == null && reject == null ? "response" : "value",
                    "the certificate is for an agreed response or reject, but the result is not one");
        }
        String what = response != null ? "response" : "reject";
        byte[] content = response != null ? ContentEncoding.of(response) : ContentEncoding.of(reject);
        List<Integer> agreeing = new ArrayList<>();
        for (Share s : cert.shares()) {
            if (s.contentHash().equals(ContentEncoding.hash(s.transform(), content))) {
                agreeing.add(s.signer());
            }
        }
        if (agreeing.size() < needed) {
            return Verdict.refuted(what, agreeing.size() + " of " + n + " replicas signed this " + what + "; policy "
                    + cert.policyName() + " needs " + needed);
        }
        if (Policies.SINGLE_REPLICA.equals(cert.policyName())) {
            String who = agreeing.size() == 1 ? "ONE replica (replica " + agreeing.get(0) + ")" : agreeing.size() + " replicas";
            return Verdict.genuine(new Basis(Basis.Kind.SINGLE_REPLICA, cert.policy(), agreeing.size(), agreeing, n, needed,
                    who + " signed this " + what + ": policy " + cert.policy()
                            + ", one replica's word (that replica alone could have made it up)"));
        }
        return Verdict.genuine(new Basis(Basis.Kind.AGREED, cert.policy(), agreeing.size(), agreeing, n, needed,
                agreeing.size() + " of " + n + " replicas agreed on this " + what + " (policy " + cert.policy() + " needs "
                        + needed + ")"));
    }

    private static Verdict median(Certificate cert, int n, int needed, AggregateValue value) {
        if (value == null) {
            return Verdict.refuted("value", "the certificate is for an aggregate value, but the result has none");
        }
        int signed = cert.shares().size();
        List<byte[]> contents = cert.shareContents();
        List<BigDecimal> values = new ArrayList<>();
        for (int i = 0; i < contents.size() && i < signed; i++) {
            Share s = cert.shares().get(i);
            if (!ContentEncoding.hash(s.transform(), contents.get(i)).equals(s.contentHash())) {
                return Verdict.refuted("certificate", "value of replica " + s.signer() + " does not match its signed hash");
            }
            try {
                String text = new String(ContentEncoding.responseBody(contents.get(i)), StandardCharsets.UTF_8).strip();
                // as the median policy reads it: a decimal outside the range is no value
                values.add(Decimals.parse(text, "value"));
            } catch (DocumentException | IllegalArgumentException e) {
                return Verdict.refuted("certificate", "value of replica " + s.signer()
                        + " is not a decimal within the decimal range");
            }
        }
        if (values.size() != signed || signed < needed) {
            return Verdict.refuted("certificate", values.size() + " signed values; policy " + cert.policyName() + " needs "
                    + needed);
        }
        values.sort(BigDecimal::compareTo);
        BigDecimal median = values.get((values.size() - 1) / 2);
        BigDecimal min = values.get(0);
        BigDecimal max = values.get(values.size() - 1);
        if (median.compareTo(value.value()) != 0 || values.size() != value.count() || min.compareTo(value.min()) != 0
                || max.compareTo(value.max()) != 0) {
            return Verdict.refuted("value", "the signed values give median " + median + " of " + values.size() + " (min "
                    + min + ", max " + max + "), not the result's " + value.value() + " of " + value.count() + " (min "
                    + value.min() + ", max " + value.max() + ")");
        }
        List<Integer> signers = cert.shares().stream().map(Share::signer).toList();
        return Verdict.genuine(new Basis(Basis.Kind.MEDIAN, cert.policy(), signed, signers, n, needed,
                "median of " + signed + " signed values (min " + min.toPlainString() + ", max " + max.toPlainString()
                        + ") from " + n + " replicas (policy " + cert.policy() + " needs " + needed + ")"));
    }

    private static Verdict divergent(Certificate cert, int n, int threshold, Reject reject) {
        if (reject == null || reject.kind() != RejectKind.NO_CONSENSUS || !reject.message().equals(cert.message())) {
            return Verdict.refuted("reject", "the certificate proves no consensus, but the result is not that reject");
        }
        Map<String, Integer> groups = new HashMap<>();
        cert.shares().forEach(s -> groups.merge(s.contentHash(), 1, Integer::sum));
        int largest = groups.values().stream().max(Integer::compare).orElse(0);
        int signed = cert.shares().size();
        int unseen = n - signed;
        if (largest + unseen >= threshold) {
            return Verdict.refuted("certificate", "the shares do not prove divergence: " + largest + " identical and "
                    + unseen + " unseen could still reach " + threshold);
        }
        List<Integer> signers = cert.shares().stream().map(Share::signer).toList();
        return Verdict.genuine(new Basis(Basis.Kind.NO_CONSENSUS, cert.policy(), signed, signers, n, threshold,
                "no consensus, proven: " + signed + " signed responses in " + groups.size() + " groups; none can reach "
                        + threshold + " of " + n + " (policy " + cert.policy() + ")"));
    }
}
