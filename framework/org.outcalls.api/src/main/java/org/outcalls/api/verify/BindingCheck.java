package org.outcalls.api.verify;

import java.util.Optional;

/**
 * Whether a certificate is for the request context a document shows. The facts the certificate
 * itself names (callback, seed, policy and version, registry version, transform) are compared one
 * by one, so an edit of one of them is named; the rest (URL, method, headers, body hash, bound,
 * transform context, canister, cycles, request time) only the context digest covers, so an edit
 * there is found but cannot be told apart from an edit of another of them.
 */
final class BindingCheck {
    private BindingCheck() {
    }

    /** @param cert a certificate whose shares are signed by the subnet's members */
    static Optional<Verdict> mismatch(SignedContext context, Certificate cert) {
        SignedRequest request = context.request();
        if (context.callbackId() != cert.callbackId()) {
            return no("context.callback_id", "shows " + context.callbackId() + ", but the certificate is for callback "
                    + cert.callbackId());
        }
        if (!context.seed().equals(cert.seed())) {
            return no("context.seed", "is not the seed the certificate names");
        }
        if (!request.policy().equals(cert.policyName())) {
            return no("request.policy", "shows \"" + Hex.shorten(request.policy()) + "\", but the shares were signed under "
                    + "policy " + cert.policy());
        }
        if (!context.policyVersion().equals(cert.policyVersion())) {
            return no("context.policy_version", "shows \"" + Hex.shorten(context.policyVersion())
                    + "\", but the shares were signed under policy " + cert.policy());
        }
        for (Share s : cert.shares()) {
            if (s.registryVersion() != context.registryVersion()) {
                return no("context.registry_version", "shows " + context.registryVersion() + ", but replica " + s.signer()
                        + " signed under registry version " + s.registryVersion());
            }
            String pinned = context.transform();
            // a share made before any transform ran (a fetch error) names none
            if (!s.transform().isEmpty() && !pinned.equals(s.transform())) {
                String asked = pinned.isEmpty() ? "" : pinned.substring(0, pinned.lastIndexOf('@'));
                boolean sameName = !asked.isEmpty() && s.transform().startsWith(asked + "@");
                String field = pinned.isEmpty() ? "request.transform" : sameName ? "context.transform_version"
                        : "request.transform.name";
                String shown = sameName ? context.transformVersion() : asked;
                return no(field, "shows \"" + Hex.shorten(shown) + "\", but replica " + s.signer() + " applied "
                        + s.transform());
            }
        }
        String shown = context.digestHex();
        if (!shown.equals(cert.contextDigest())) {
            return no("request", "the request shown is not the one the replicas signed: its context digest is "
                    + shown.substring(0, 16) + "…, the shares signed " + cert.contextDigest().substring(0, 16)
                    + "…; one of request.url, method, headers, body_sha256, max_response_bytes, transform.context or "
                    + "context.canister_id, attached_cycles, fee, request_time was changed");
        }
        return Optional.empty();
    }

    private static Optional<Verdict> no(String field, String why) {
        return Optional.of(Verdict.refuted(field, why));
    }
}
