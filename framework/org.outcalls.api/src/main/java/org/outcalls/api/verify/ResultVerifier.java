package org.outcalls.api.verify;

import java.util.Optional;
import org.outcalls.api.Cycles;

/**
 * Checks a saved result document against a subnet's public keys: that its certificate is genuine
 * and carries the result shown ({@link CertificateCheck}), and that it certifies the request the
 * document shows — the context digest every share signed is recomputed from the document's
 * {@code request} and {@code context}, so a document whose URL, headers, body, transform, policy,
 * bounds or cycles were edited is refused. A genuine verdict says what the result rests on.
 */
public final class ResultVerifier {
    private ResultVerifier() {
    }

    /**
     * Parses and checks a result document against a subnet document.
     *
     * @throws DocumentException if either document is not well-formed (naming the field); a
     *                           well-formed document that does not hold is a verdict, not an exception
     */
    public static Verdict verify(String resultJson, String subnetJson) throws DocumentException {
        SubnetKeys keys = SubnetKeys.parse(subnetJson);
        return verify(ResultDocument.parse(resultJson), keys);
    }

    public static Verdict verify(ResultDocument doc, SubnetKeys keys) {
        if (doc.certificate().length == 0) {
            return Verdict.refuted("certificate", "the result has none: it was decided by the management canister or by "
                    + "block time, not by replicas' signed shares, so there is nothing to check");
        }
        Certificate cert;
        try {
            cert = Certificate.decode(doc.certificate());
        } catch (DocumentException e) {
            return Verdict.refuted("certificate", "does not decode: " + e.getMessage().substring("certificate: ".length()));
        }
        if (doc.request().isEmpty() || doc.context().isEmpty()) {
            String missing = doc.request().isEmpty() ? "request" : "context";
            return Verdict.refuted(missing, "is missing: without the request context its shares signed, the document "
                    + "does not say what the certificate certifies");
        }
        SignedContext context = doc.context().get();
        if (!context.subnetId().equals(keys.subnetId())) {
            return Verdict.refuted("context.subnet_id", "the result is from subnet " + context.subnetId().substring(0, 8)
                    + ", but the keys are of subnet " + keys.subnetId().substring(0, 8));
        }
        // signatures first: what the binding compares must be what replicas signed
        String forged = CertificateCheck.sharesProblem(cert, keys);
        if (forged != null) {
            return Verdict.refuted("certificate", forged);
        }
        Optional<Verdict> unbound = BindingCheck.mismatch(context, cert);
        if (unbound.isPresent()) {
            return unbound.get();
        }
        Optional<Verdict> inconsistent = consistency(doc, context);
        if (inconsistent.isPresent()) {
            return inconsistent.get();
        }
        return CertificateCheck.decide(cert, keys, doc.response().orElse(null), doc.value().orElse(null),
                doc.reject().orElse(null));
    }

    /** The document's other fields that repeat signed facts must repeat them faithfully. */
    private static Optional<Verdict> consistency(ResultDocument doc, SignedContext context) {
        if (doc.callbackId().isPresent() && doc.callbackId().getAsLong() != context.callbackId()) {
            return Optional.of(Verdict.refuted("callback_id", "shows " + doc.callbackId().getAsLong()
                    + ", but the signed context is for callback " + context.callbackId()));
        }
        if (doc.cycles().isPresent()) {
            Cycles c = doc.cycles().get();
            if (c.attached() != context.attachedCycles()) {
                return Optional.of(Verdict.refuted("cycles.attached", "shows " + c.attached() + ", but the signed context has "
                        + context.attachedCycles() + " attached"));
            }
            if (c.charged() != context.fee()) {
                return Optional.of(Verdict.refuted("cycles.charged", "shows " + c.charged()
                        + ", but the signed context's fee is " + context.fee()));
            }
        }
        if (doc.status().isPresent()) {
            String status = doc.status().get();
            boolean answered = doc.response().isPresent() || doc.value().isPresent();
            if ("completed".equals(status) != answered || "rejected".equals(status) != doc.reject().isPresent()) {
                return Optional.of(Verdict.refuted("status", "is \"" + Hex.shorten(status) + "\", which does not fit a result "
                        + "with " + (answered ? "a response or value" : doc.reject().isPresent() ? "a reject" : "neither")));
            }
        }
        return Optional.empty();
    }
}
