package org.outcalls.replica.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.osgi.framework.Version;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.transform.Transform;

/**
 * The plugin services present right now, as DS hands them over (dynamic, greedy), each with the
 * name and version the host gave it. Each lookup reads the current collection once; nothing keeps
 * a plugin past its unregistration, except a retired version that open request contexts pin.
 */
public final class Plugins implements PluginSource {
    private final Supplier<Collection<InstalledPlugin<Transform>>> transforms;
    private final Supplier<Collection<InstalledPlugin<AgreementPolicy>>> policies;
    private final Supplier<Collection<InstalledPlugin<MethodSupport>>> methods;
    private final RetiredPlugins retired = new RetiredPlugins();

    private Plugins(Supplier<Collection<InstalledPlugin<Transform>>> transforms,
                    Supplier<Collection<InstalledPlugin<AgreementPolicy>>> policies,
                    Supplier<Collection<InstalledPlugin<MethodSupport>>> methods) {
        this.transforms = transforms;
        this.policies = policies;
        this.methods = methods;
    }

    /** Plugins read from live collections (DS dynamic references): each lookup sees the current ones. */
    public static Plugins live(Supplier<Collection<InstalledPlugin<Transform>>> transforms,
                               Supplier<Collection<InstalledPlugin<AgreementPolicy>>> policies,
                               Supplier<Collection<InstalledPlugin<MethodSupport>>> methods) {
        return new Plugins(transforms, policies, methods);
    }

    /** A fixed set of plugins, for tests and tools. */
    public static Plugins of(Collection<InstalledPlugin<Transform>> transforms,
                             Collection<InstalledPlugin<AgreementPolicy>> policies,
                             Collection<InstalledPlugin<MethodSupport>> methods) {
        List<InstalledPlugin<Transform>> t = List.copyOf(transforms);
        List<InstalledPlugin<AgreementPolicy>> p = List.copyOf(policies);
        List<InstalledPlugin<MethodSupport>> m = List.copyOf(methods);
        return new Plugins(() -> t, () -> p, () -> m);
    }

    /**
     * A transform went away (its bundle was updated or removed): keep serving its version to the
     * request contexts that pin it, until {@link #releaseUnpinned} finds none left.
     */
    public void retireTransform(InstalledPlugin<Transform> transform) {
        retired.retireTransform(transform);
    }

    /** A policy went away: kept for the request contexts that pin its version, as {@link #retireTransform}. */
    public void retirePolicy(InstalledPlugin<AgreementPolicy> policy) {
        retired.retirePolicy(policy);
    }

    /**
     * Releases the retired versions no open context pins any more ({@code name@version} of each open
     * context's policy and transform, over every replica this JVM runs).
     */
    public void releaseUnpinned(Set<String> pinned) {
        retired.releaseUnpinned(pinned);
    }

    /** How many retired versions are still kept. */
    public int retiredCount() {
        return retired.size();
    }

    @Override
    public Optional<Transform> transform(String name, String version) {
        Optional<Transform> live = find(transforms.get(), name, version);
        return live.isPresent() ? live : Optional.ofNullable(retired.transform(name, version));
    }

    @Override
    public Optional<AgreementPolicy> policy(String name, String version) {
        Optional<AgreementPolicy> live = find(policies.get(), name, version);
        return live.isPresent() ? live : Optional.ofNullable(retired.policy(name, version));
    }

    /** The highest installed version of {@code methods}. */
    @Override
    public Optional<MethodSupport> methods() {
        return methods.get().stream().max(Comparator.comparing(m -> Version.parseVersion(m.version()))).map(InstalledPlugin::plugin);
    }

    /** {@code name@version} of everything installed, sorted, by kind. */
    public TreeMap<String, List<String>> describe() {
        TreeMap<String, List<String>> out = new TreeMap<>();
        out.put("transforms", ids(transforms.get()));
        out.put("policies", ids(policies.get()));
        out.put("methods", ids(methods.get()));
        return out;
    }

    @Override
    public List<String> installed() {
        List<String> all = new ArrayList<>();
        describe().values().forEach(all::addAll);
        return List.copyOf(new TreeSet<>(all));
    }

    /** Versions installed here of the plugin with this name (transform, policy or {@code methods}), sorted. */
    public List<String> installedVersions(String name) {
        TreeSet<String> out = new TreeSet<>();
        all().filter(p -> name.equals(p.name())).forEach(p -> out.add(p.version()));
        return List.copyOf(out);
    }

    /** Whether a registry entry ({@code name → version}) is served here (any installed version of {@code methods} counts). */
    @Override
    public boolean serves(String name, String version) {
        if (MethodSupport.NAME.equals(name)) {
            return methods.get().stream().anyMatch(m -> m.is(name, version));
        }
        return Stream.concat(policies.get().stream(), transforms.get().stream()).anyMatch(p -> p.is(name, version));
    }

    private Stream<InstalledPlugin<?>> all() {
        return Stream.of(transforms.get(), policies.get(), methods.get()).flatMap(Collection::stream);
    }

    private static <T> Optional<T> find(Collection<InstalledPlugin<T>> installed, String name, String version) {
        return installed.stream().filter(p -> p.is(name, version)).findFirst().map(InstalledPlugin::plugin);
    }

    private static List<String> ids(Collection<? extends InstalledPlugin<?>> installed) {
        return List.copyOf(new TreeSet<>(installed.stream().map(InstalledPlugin::id).toList()));
    }

}
