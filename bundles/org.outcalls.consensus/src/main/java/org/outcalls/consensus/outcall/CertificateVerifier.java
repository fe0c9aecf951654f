package org.outcalls.consensus.outcall;

import java.util.List;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.verify.CertificateCheck;
import org.outcalls.api.verify.ResultDocument;
import org.outcalls.api.verify.ResultVerifier;
import org.outcalls.api.verify.SubnetKeys;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * Checks a delivered result against its certificate and the subnet's public keys, offline, with
 * the replicas' own types. The rules live in one place, the API's verifier
 * ({@link org.outcalls.api.verify}), which anyone can run with the JDK alone; this adapts to it.
 */
public final class CertificateVerifier {

    /** The outcome of a verification, with what was checked or what failed. */
    public record Verdict(boolean genuine, String explanation) {
        static Verdict of(org.outcalls.api.verify.Verdict v) {
            return new Verdict(v.genuine(), v.explanation());
        }
    }

    private CertificateVerifier() {
    }

    /**
     * The certificate is genuine and carries this result. It says nothing about which request the
     * result answers: {@link #verify(ResultDocument, Hash, List)} checks that too.
     *
     * The result as delivered: exactly one of {@code response}, {@code value}, {@code reject} is non-null.
     */
    public static Verdict verify(byte[] certificate, Hash subnetId, List<PublicKey> members, HttpResponse response,
                                 AggregateValue value, Reject reject) {
        return Verdict.of(CertificateCheck.check(certificate, keys(subnetId, members), response, value, reject));
    }

    /** A result document: its certificate is genuine, carries its result, and certifies the request it shows. */
    public static Verdict verify(ResultDocument document, Hash subnetId, List<PublicKey> members) {
        return Verdict.of(ResultVerifier.verify(document, keys(subnetId, members)));
    }

    private static SubnetKeys keys(Hash subnetId, List<PublicKey> members) {
        return new SubnetKeys(subnetId.hex(), members.stream().map(PublicKey::bytes).toList());
    }
}
