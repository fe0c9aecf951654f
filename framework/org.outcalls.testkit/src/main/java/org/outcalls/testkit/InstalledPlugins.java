package org.outcalls.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.PolicyName;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformName;
import org.outcalls.replica.local.InstalledPlugin;
import org.outcalls.replica.local.Plugins;

/**
 * The plugins of a test subnet, named and versioned as the host names and versions a plugin bundle:
 * the name from the class's {@link TransformName} or {@link PolicyName} (what Declarative Services
 * would turn into its service property; {@code methods} for a {@link MethodSupport}), the version
 * as the test gives it (in OSGi, the bundle's).
 */
final class InstalledPlugins {
    private final List<InstalledPlugin<Transform>> transforms = new CopyOnWriteArrayList<>();
    private final List<InstalledPlugin<AgreementPolicy>> policies = new CopyOnWriteArrayList<>();
    private final List<InstalledPlugin<MethodSupport>> methods = new CopyOnWriteArrayList<>();

    InstalledPlugins() {
    }

    InstalledPlugins(InstalledPlugins from) {
        transforms.addAll(from.transforms);
        policies.addAll(from.policies);
        methods.addAll(from.methods);
    }

    /** Adds the plugin as every SPI it implements, at {@code version} (major.minor.micro). */
    void add(Object plugin, String version) {
        boolean known = false;
        if (plugin instanceof Transform t) {
            transforms.add(new InstalledPlugin<>(transformName(t), version, t));
            known = true;
        }
        if (plugin instanceof AgreementPolicy p) {
            policies.add(new InstalledPlugin<>(policyName(p), version, p));
            known = true;
        }
        if (plugin instanceof MethodSupport m) {
            methods.add(new InstalledPlugin<>(MethodSupport.NAME, version, m));
            known = true;
        }
        if (!known) {
            throw new IllegalArgumentException(plugin + " is not a Transform, AgreementPolicy or MethodSupport");
        }
    }

    /** Removes exactly this object (not an equal one) wherever it was added; what went away is retired in {@code live}. */
    boolean remove(Object plugin, Plugins live) {
        Optional<InstalledPlugin<Transform>> transform = InstalledPlugin.remove(transforms, plugin);
        transform.ifPresent(live::retireTransform);
        Optional<InstalledPlugin<AgreementPolicy>> policy = InstalledPlugin.remove(policies, plugin);
        policy.ifPresent(live::retirePolicy);
        boolean methodSupport = InstalledPlugin.remove(methods, plugin).isPresent();
        return transform.isPresent() || policy.isPresent() || methodSupport;
    }

    /** Every policy and transform at its version (of several versions of one, the last added), and methods if added. */
    void enableAll(Map<String, String> registry) {
        policies.forEach(p -> registry.put(p.name(), p.version()));
        transforms.forEach(t -> registry.put(t.name(), t.version()));
        methods.forEach(m -> registry.put(m.name(), m.version()));
    }

    /** The plugins as replicas read them: live, so later {@link #add}s and {@link #remove}s show. */
    Plugins live() {
        return Plugins.live(() -> transforms, () -> policies, () -> methods);
    }

    static String transformName(Transform transform) {
        TransformName name = transform.getClass().getAnnotation(TransformName.class);
        if (name == null) {
            throw new IllegalArgumentException("transform " + transform.getClass().getName() + " has no @TransformName:"
                    + " annotate the class with @TransformName(\"<the name requests use>\"), as its bundle must");
        }
        return name.value();
    }

    static String policyName(AgreementPolicy policy) {
        PolicyName name = policy.getClass().getAnnotation(PolicyName.class);
        if (name == null) {
            throw new IllegalArgumentException("agreement policy " + policy.getClass().getName() + " has no @PolicyName:"
                    + " annotate the class with @PolicyName(\"<the name requests use>\"), as its bundle must");
        }
        return name.value();
    }
}
