package org.outcalls.vertx.internal;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Vert.x instance of the runtime, published as an {@link Vertx} service, so the adapter,
 * the gateway and the transport share event loops instead of each starting their own.
 */
@Component(immediate = true, configurationPid = "org.outcalls.vertx")
@Designate(ocd = SharedVertx.Config.class)
public final class SharedVertx {
    private static final Logger LOG = LoggerFactory.getLogger(SharedVertx.class);

    @ObjectClassDefinition(name = "Outcalls shared Vert.x")
    public @interface Config {
        @AttributeDefinition(description = "Event loop threads; 0 means Vert.x's default (2 per core).")
        int eventLoops() default 0;

        @AttributeDefinition(description = "Worker threads for blocking work (transforms, signing batches).")
        int workers() default 16;
    }

    private final Vertx vertx;
    private final ServiceRegistration<Vertx> registration;

    @Activate
    public SharedVertx(BundleContext context, Config config) {
        VertxOptions options = new VertxOptions().setWorkerPoolSize(config.workers());
        if (config.eventLoops() > 0) {
            options.setEventLoopPoolSize(config.eventLoops());
        }
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        // Vert.x captures the context class loader while it starts (logging, service loading).
        current.setContextClassLoader(Vertx.class.getClassLoader());
        try {
            this.vertx = Vertx.vertx(options);
        } finally {
            current.setContextClassLoader(previous);
        }
        this.registration = context.registerService(Vertx.class, vertx, new Hashtable<>());
        LOG.debug("shared Vert.x started");
    }

    @Deactivate
    void stop() {
        registration.unregister();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
    }
}
