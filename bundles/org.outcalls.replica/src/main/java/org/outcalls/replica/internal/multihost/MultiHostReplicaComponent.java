package org.outcalls.replica.internal.multihost;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.local.Plugins;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of a multi-host subnet ({@code outcalls replica --config FILE}), registered as the
 * {@link SubnetNode} the gateway serves when this replica has one. Plugins are tracked
 * dynamically, as in the embedded subnet.
 */
@Component(immediate = true, configurationPid = MultiHostReplicaComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MultiHostReplicaComponent.Config.class)
public final class MultiHostReplicaComponent {
    public static final String PID = "org.outcalls.replica";
    /** Service property of the registered {@link SubnetNode}: the replica's index. */
    public static final String REPLICA_PROPERTY = "outcalls.replica";
    private static final Logger LOG = LoggerFactory.getLogger(MultiHostReplicaComponent.class);

    @ObjectClassDefinition(name = "Outcalls replica of a multi-host subnet")
    public @interface Config {
        @AttributeDefinition(description = "The replica configuration file (replica.json) that outcalls subnet init wrote.")
        String config();
    }

    private final HostedReplica replica;
    private final ServiceRegistration<SubnetNode> registration;

    @Activate
    public MultiHostReplicaComponent(BundleContext context, @Reference Vertx vertx, @Reference HttpsAdapter adapter,
                                     @Reference CanisterResolver canisters, @Reference Plugins plugins, Config config)
            throws Exception {
        ReplicaConfig rc = ReplicaConfig.read(Path.of(config.config()));
        try {
            this.replica = new HostedReplica(rc, vertx, adapter, plugins, canisters);
        } catch (Exception e) {
            LOG.error("replica {} did not start: {}", rc.replica(), e.getMessage(), e);
            throw e;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(REPLICA_PROPERTY, rc.replica());
        this.registration = context.registerService(SubnetNode.class, replica, props);
    }

    @Deactivate
    void stop() {
        registration.unregister();
        replica.close();
    }
}
