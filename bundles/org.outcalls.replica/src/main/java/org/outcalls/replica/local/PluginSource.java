package org.outcalls.replica.local;

import java.util.Optional;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.transform.Transform;

/**
 * The plugins installed on this replica right now. Read once per use and never cached: bundles
 * come and go while the subnet runs. What replicated execution needs is decided by the registry,
 * not by this.
 */
@org.osgi.annotation.versioning.ProviderType
public interface PluginSource {
    Optional<Transform> transform(String name);

    /** The policy at exactly this version. */
    Optional<AgreementPolicy> policy(String name, String version);

    Optional<MethodSupport> methods();

    /**
     * Whether a registry entry ({@code name → version}) is served here: the agreement policy at
     * exactly that version, or for {@code methods} a methods plugin at that version.
     */
    default boolean serves(String name, String version) {
        if (MethodSupport.NAME.equals(name)) {
            return methods().map(m -> version.equals(m.version())).orElse(false);
        }
        return policy(name, version).isPresent();
    }
}
