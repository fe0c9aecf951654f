package org.outcalls.replica.local;

import java.util.List;
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
    /** The transform at exactly this version (several versions of one transform may be installed side by side). */
    Optional<Transform> transform(String name, String version);

    /** The policy at exactly this version. */
    Optional<AgreementPolicy> policy(String name, String version);

    Optional<MethodSupport> methods();

    /** {@code name@version} of every plugin installed (and not hidden) here, sorted: what this replica announces. */
    default List<String> installed() {
        return List.of();
    }

    /**
     * Whether a registry entry ({@code name → version}) is served here: the agreement policy or
     * transform at exactly that version, or for {@code methods} a methods plugin at that version.
     */
    default boolean serves(String name, String version) {
        if (MethodSupport.NAME.equals(name)) {
            return installed().contains(MethodSupport.NAME + "@" + version);
        }
        return policy(name, version).isPresent() || transform(name, version).isPresent();
    }
}
