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
    private final List<Transform> transforms = new ArrayList<>();
    private final List<AgreementPolicy> policies = new ArrayList<>();

    synchronized void retire(Object plugin) {
        if (plugin instanceof Transform t) {
            transforms.add(t);
        }
        if (plugin instanceof AgreementPolicy p) {
            policies.add(p);
        }
    }

    synchronized Transform transform(String name, String version) {
        for (Transform t : transforms) {
            if (name.equals(t.name()) && version.equals(t.version())) {
                return t;
            }
        }
        return null;
    }

    synchronized AgreementPolicy policy(String name, String version) {
        for (AgreementPolicy p : policies) {
            if (name.equals(p.name()) && version.equals(p.version())) {
                return p;
            }
        }
        return null;
    }

    /** Drops every retired version that no open context pins ({@code name@version}); returns how many went. */
    synchronized int releaseUnpinned(Set<String> pinned) {
        int before = transforms.size() + policies.size();
        transforms.removeIf(t -> !pinned.contains(t.name() + "@" + t.version()));
        policies.removeIf(p -> !pinned.contains(p.name() + "@" + p.version()));
        return before - transforms.size() - policies.size();
    }

    synchronized int size() {
        return transforms.size() + policies.size();
    }
}
