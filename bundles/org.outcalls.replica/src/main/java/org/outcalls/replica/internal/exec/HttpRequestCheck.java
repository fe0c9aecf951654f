package org.outcalls.replica.internal.exec;

import java.util.Optional;
import org.outcalls.api.Fees;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Policies;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.replica.SubnetRegistry;

/**
 * The management canister's deterministic checks of an {@code http_request}, in this order: the
 * limits, the policy enabled in the registry, the transform enabled there (at the version a request
 * may insist on), the {@code methods} plugin for POST/PUT/DELETE/PATCH,
 * the single-replica policy for PUT/DELETE/PATCH, and the fee. Depends on the request, the
 * attached cycles and the registry alone.
 */
public final class HttpRequestCheck {
    private HttpRequestCheck() {
    }

    /**
     * Either a reject, or the fee to charge and the enabled versions of the request's policy and
     * transform (empty for none): the versions every replica then uses for this request.
     */
    public record Verdict(Reject reject, long fee, String policyVersion, String transformVersion) {
        public Optional<Reject> rejected() {
            return Optional.ofNullable(reject);
        }
    }

    public static Verdict check(OutcallRequest request, long attachedCycles, SubnetRegistry registry) {
        Optional<Reject> limits = Limits.checkRequest(request);
        if (limits.isPresent()) {
            return rejected(limits.get());
        }
        String policy = request.policy();
        if (Policies.METHODS.equals(policy)) {
            return rejected(RejectKind.POLICY_NOT_ENABLED, "'" + Policies.METHODS
                    + "' is a plugin, not an agreement policy; enabled plugins: " + registry.describePlugins());
        }
        Optional<String> policyVersion = registry.pluginVersion(policy);
        if (policyVersion.isEmpty()) {
            return rejected(RejectKind.POLICY_NOT_ENABLED, "policy '" + policy
                    + "' is not enabled in the subnet registry (version " + registry.version()
                    + "); enabled plugins: " + registry.describePlugins());
        }
        String transformVersion = "";
        if (request.transform().isPresent()) {
            String named = request.transform().get().name();
            String refusal = transformRefusal(named, registry);
            if (refusal != null) {
                return rejected(RejectKind.TRANSFORM_NOT_ENABLED, refusal);
            }
            transformVersion = registry.pluginVersion(transformName(named)).orElseThrow();
        }
        HttpMethod method = request.method();
        if (method.needsMethodsPlugin() && !registry.isEnabled(Policies.METHODS)) {
            return rejected(RejectKind.METHOD_NOT_ALLOWED, method + " needs the '" + Policies.METHODS
                    + "' plugin, which is not enabled in the subnet registry (version " + registry.version()
                    + "); enabled plugins: " + registry.describePlugins() + "; GET and HEAD need no plugin");
        }
        if (!method.replicable() && !Policies.SINGLE_REPLICA.equals(policy)) {
            return rejected(RejectKind.METHOD_NOT_ALLOWED, method + " is only allowed with the '"
                    + Policies.SINGLE_REPLICA + "' policy, so that one replica sends it; this request uses '"
                    + policy + "'");
        }
        long fee = Fees.httpRequestFee(registry.subnetSize(), request);
        if (attachedCycles < fee) {
            return rejected(RejectKind.INSUFFICIENT_CYCLES, "http_request request sent with " + attachedCycles
                    + " cycles, but " + fee + " cycles are required.");
        }
        return new Verdict(null, fee, policyVersion.get(), transformVersion);
    }

    /** The transform's name in a request's {@code name} or {@code name@version}. */
    public static String transformName(String named) {
        int at = named.lastIndexOf('@');
        return at < 0 ? named : named.substring(0, at);
    }

    /**
     * Why the registry does not serve the transform a request names ({@code name}, or {@code
     * name@version} to insist on one); null if it does.
     */
    private static String transformRefusal(String named, SubnetRegistry registry) {
        String name = transformName(named);
        Optional<String> enabled = registry.pluginVersion(name);
        if (enabled.isEmpty()) {
            return "transform '" + name + "' is not enabled in the subnet registry (version " + registry.version()
                    + "); enabled plugins: " + registry.describePlugins();
        }
        if (!name.equals(named) && !named.substring(name.length() + 1).equals(enabled.get())) {
            return "transform '" + named + "' is not enabled: the subnet registry (version " + registry.version()
                    + ") enables " + name + "@" + enabled.get();
        }
        return null;
    }

    private static Verdict rejected(RejectKind kind, String message) {
        return rejected(Reject.of(RejectCode.CANISTER_REJECT, kind, message));
    }

    private static Verdict rejected(Reject reject) {
        return new Verdict(reject, 0, null, null);
    }
}
