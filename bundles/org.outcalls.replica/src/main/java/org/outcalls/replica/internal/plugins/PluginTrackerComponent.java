package org.outcalls.replica.internal.plugins;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
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
import org.outcalls.replica.local.Plugins;

/**
 * The one place that follows plugin services as bundles come and go (dynamic, greedy), for the
 * embedded subnet and the multi-host replica alike: it publishes the {@link Plugins} they read. A
 * plugin that goes away is retired, not forgotten, while request contexts still pin its version.
 */
@Component(immediate = true)
public final class PluginTrackerComponent {
    private final List<Transform> transforms = new CopyOnWriteArrayList<>();
    private final List<AgreementPolicy> policies = new CopyOnWriteArrayList<>();
    private final List<MethodSupport> methods = new CopyOnWriteArrayList<>();
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
    void addTransform(Transform t) {
        transforms.add(t);
    }

    void removeTransform(Transform t) {
        transforms.remove(t);
        plugins.retire(t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPolicy(AgreementPolicy p) {
        policies.add(p);
    }

    void removePolicy(AgreementPolicy p) {
        policies.remove(p);
        plugins.retire(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMethods(MethodSupport m) {
        methods.add(m);
    }

    void removeMethods(MethodSupport m) {
        methods.remove(m);
    }
}
