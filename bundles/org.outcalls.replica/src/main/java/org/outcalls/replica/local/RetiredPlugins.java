package org.outcalls.replica.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.transform.Transform;

/**
 * Plugin versions whose bundle went away while request contexts may still pin them: kept, and
 * still served, until no open context names them (then released, so their class loaders can go).
 * A request made under a version is thus transformed and decided by that version even if an
 * operator removes it before the request closes.
 */
final class RetiredPlugins {
    private final List<InstalledPlugin<Transform>> transforms = new ArrayList<>();
    private final List<InstalledPlugin<AgreementPolicy>> policies = new ArrayList<>();

    synchronized void retireTransform(InstalledPlugin<Transform> t) {
        transforms.add(t);
    }

    synchronized void retirePolicy(InstalledPlugin<AgreementPolicy> p) {
        policies.add(p);
    }

    synchronized Transform transform(String name, String version) {
        return find(transforms, name, version);
    }

    synchronized AgreementPolicy policy(String name, String version) {
        return find(policies, name, version);
    }

    /** Drops every retired version that no open context pins ({@code name@version}); returns how many went. */
    synchronized int releaseUnpinned(Set<String> pinned) {
        int before = size();
        transforms.removeIf(t -> !pinned.contains(t.id()));
        policies.removeIf(p -> !pinned.contains(p.id()));
        return before - size();
    }

    synchronized int size() {
        return transforms.size() + policies.size();
    }

    private static <T> T find(List<InstalledPlugin<T>> retired, String name, String version) {
        for (InstalledPlugin<T> p : retired) {
            if (p.is(name, version)) {
                return p.plugin();
            }
        }
        return null;
    }
}
