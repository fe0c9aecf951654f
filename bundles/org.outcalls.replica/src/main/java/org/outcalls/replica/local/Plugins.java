package org.outcalls.replica.local;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.framework.Version;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.transform.Transform;

/**
 * The plugin services present right now, as DS hands them over (dynamic, greedy). Each lookup
 * reads the current collection once; nothing keeps a plugin past its unregistration.
 */
public final class Plugins implements PluginSource {
    private final java.util.function.Supplier<Collection<Transform>> transforms;
    private final java.util.function.Supplier<Collection<AgreementPolicy>> policies;
    private final java.util.function.Supplier<Collection<MethodSupport>> methods;
    private final RetiredPlugins retired = new RetiredPlugins();

    private Plugins(java.util.function.Supplier<Collection<Transform>> transforms,
                     java.util.function.Supplier<Collection<AgreementPolicy>> policies,
                     java.util.function.Supplier<Collection<MethodSupport>> methods) {
        this.transforms = transforms;
        this.policies = policies;
        this.methods = methods;
    }

    /**
     * A plugin went away (its bundle was updated or removed): keep serving its version to the
     * request contexts that pin it, until {@link #releaseUnpinned} finds none left.
     */
    public void retire(Object plugin) {
        retired.retire(plugin);
    }

    /**
     * Releases the retired versions no open context pins any more ({@code name@version} of each open
     * context's policy and transform, over every replica this JVM runs).
     */
    public void releaseUnpinned(java.util.Set<String> pinned) {
        retired.releaseUnpinned(pinned);
    }

    /** How many retired versions are still kept. */
    public int retiredCount() {
        return retired.size();
    }

    /** Plugins read from live collections (DS dynamic references): each lookup sees the current ones. */
    public static Plugins live(java.util.function.Supplier<Collection<Transform>> transforms,
                               java.util.function.Supplier<Collection<AgreementPolicy>> policies,
                               java.util.function.Supplier<Collection<MethodSupport>> methods) {
        return new Plugins(transforms, policies, methods);
    }

    /** A fixed set of plugins, for tests and tools. */
    public static Plugins of(Collection<Transform> transforms, Collection<AgreementPolicy> policies,
                             Collection<MethodSupport> methods) {
        List<Transform> t = List.copyOf(transforms);
        List<AgreementPolicy> p = List.copyOf(policies);
        List<MethodSupport> m = List.copyOf(methods);
        return new Plugins(() -> t, () -> p, () -> m);
    }

    @Override
    public Optional<Transform> transform(String name, String version) {
        Optional<Transform> live = transforms.get().stream().filter(t -> name.equals(t.name()) && version.equals(t.version()))
                .findFirst();
        return live.isPresent() ? live : Optional.ofNullable(retired.transform(name, version));
    }

    @Override
    public Optional<AgreementPolicy> policy(String name, String version) {
        Optional<AgreementPolicy> live = policies.get().stream()
                .filter(p -> name.equals(p.name()) && version.equals(p.version())).findFirst();
        return live.isPresent() ? live : Optional.ofNullable(retired.policy(name, version));
    }

    @Override
    public Optional<MethodSupport> methods() {
        return methods.get().stream().max(Comparator.comparing(m -> version(m.version())));
    }

    /** {@code name@version} of everything installed, sorted, by kind. */
    public TreeMap<String, List<String>> describe() {
        TreeMap<String, List<String>> out = new TreeMap<>();
        out.put("transforms", sorted(transforms.get().stream().map(t -> t.name() + "@" + t.version()).toList()));
        out.put("policies", sorted(policies.get().stream().map(p -> p.name() + "@" + p.version()).toList()));
        out.put("methods", sorted(methods.get().stream().map(m -> MethodSupport.NAME + "@" + m.version()).toList()));
        return out;
    }

    @Override
    public List<String> installed() {
        List<String> all = new java.util.ArrayList<>();
        describe().values().forEach(all::addAll);
        return sorted(all);
    }

    /** Versions installed here of the plugin with this name (transform, policy or {@code methods}), sorted. */
    public List<String> installedVersions(String name) {
        TreeSet<String> out = new TreeSet<>();
        transforms.get().stream().filter(t -> name.equals(t.name())).forEach(t -> out.add(t.version()));
        policies.get().stream().filter(p -> name.equals(p.name())).forEach(p -> out.add(p.version()));
        if (MethodSupport.NAME.equals(name)) {
            methods.get().forEach(m -> out.add(m.version()));
        }
        return List.copyOf(out);
    }

    /** Whether a registry entry ({@code name → version}) is served here (any installed version of {@code methods} counts). */
    @Override
    public boolean serves(String name, String version) {
        if (MethodSupport.NAME.equals(name)) {
            return methods.get().stream().anyMatch(m -> version.equals(m.version()));
        }
        return policies.get().stream().anyMatch(p -> name.equals(p.name()) && version.equals(p.version()))
                || transforms.get().stream().anyMatch(t -> name.equals(t.name()) && version.equals(t.version()));
    }

    private static List<String> sorted(List<String> items) {
        return List.copyOf(new TreeSet<>(items));
    }

    private static Version version(String v) {
        try {
            return Version.parseVersion(v);
        } catch (IllegalArgumentException e) {
            return Version.emptyVersion;
        }
    }
}
