package org.outcalls.replica.internal.plugins;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.transform.Transform;
import org.outcalls.replica.local.InstalledPlugin;
import org.outcalls.replica.local.Plugins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that follows plugin services as bundles come and go (dynamic, greedy), for the
 * embedded subnet and the multi-host replica alike: it publishes the {@link Plugins} they read. It
 * names each plugin by its service property ({@code @TransformName}, {@code @PolicyName}; the
 * methods plugin is {@code methods}) and versions it by the bundle that registered it, so a plugin
 * cannot claim another's name or version. A plugin that goes away is retired, not forgotten, while
 * request contexts still pin its version.
 */
@Component(immediate = true)
public final class PluginTrackerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(PluginTrackerComponent.class);

    private final List<InstalledPlugin<Transform>> transforms = new CopyOnWriteArrayList<>();
    private final List<InstalledPlugin<AgreementPolicy>> policies = new CopyOnWriteArrayList<>();
    private final List<InstalledPlugin<MethodSupport>> methods = new CopyOnWriteArrayList<>();
    private final Plugins plugins = Plugins.live(() -> transforms, () -> policies, () -> methods);

    private ServiceRegistration<Plugins> registration;

    // Published by hand: DS would publish this component itself, which is not the Plugins its users read.
    @Activate
    void start(BundleContext context) {
        registration = context.registerService(Plugins.class, plugins, null);
    }

    @Deactivate
    void stop() {
        registration.unregister();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransform(ServiceReference<Transform> reference, Transform transform) {
        named(reference, Transform.NAME_PROPERTY, "@TransformName")
                .ifPresent(name -> transforms.add(new InstalledPlugin<>(name, version(reference), transform)));
    }

    void removeTransform(ServiceReference<Transform> reference, Transform transform) {
        InstalledPlugin.remove(transforms, transform).ifPresent(plugins::retireTransform);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPolicy(ServiceReference<AgreementPolicy> reference, AgreementPolicy policy) {
        named(reference, AgreementPolicy.NAME_PROPERTY, "@PolicyName")
                .ifPresent(name -> policies.add(new InstalledPlugin<>(name, version(reference), policy)));
    }

    void removePolicy(ServiceReference<AgreementPolicy> reference, AgreementPolicy policy) {
        InstalledPlugin.remove(policies, policy).ifPresent(plugins::retirePolicy);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMethods(ServiceReference<MethodSupport> reference, MethodSupport support) {
        methods.add(new InstalledPlugin<>(MethodSupport.NAME, version(reference), support));
    }

    void removeMethods(ServiceReference<MethodSupport> reference, MethodSupport support) {
        InstalledPlugin.remove(methods, support);
    }

    /** The bundle that registered the service decides the version; the plugin has no say. */
    private static String version(ServiceReference<?> reference) {
        return InstalledPlugin.version(reference.getBundle().getVersion());
    }

    /** The name property, or empty (logged) when the plugin was registered without it: nobody could ask for it. */
    private static Optional<String> named(ServiceReference<?> reference, String property, String annotation) {
        if (reference.getProperty(property) instanceof String name && !name.isBlank()) {
            return Optional.of(name);
        }
        LOG.warn("a plugin service of bundle {} {} has no {} property and is ignored: annotate its component with {}",
                reference.getBundle().getSymbolicName(), reference.getBundle().getVersion(), property, annotation);
        return Optional.empty();
    }
}
