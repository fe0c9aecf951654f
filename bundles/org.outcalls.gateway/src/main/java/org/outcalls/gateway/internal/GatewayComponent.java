package org.outcalls.gateway.internal;

import io.vertx.core.Vertx;
import java.util.Hashtable;
import java.util.concurrent.ExecutionException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.outcalls.replica.SubnetNode;

/**
 * The REST gateway and dashboard. Once it listens it publishes a marker service whose
 * {@code outcalls.gateway.url} property tells the launcher (and tests) where it is.
 */
@Component(immediate = true, configurationPid = "org.outcalls.gateway", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = GatewayComponent.Config.class)
public final class GatewayComponent {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayComponent.class);
    public static final String URL_PROPERTY = "outcalls.gateway.url";

    @ObjectClassDefinition(name = "Outcalls gateway")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Port to listen on; 0 picks a free one.")
        int port() default 7450;

        @AttributeDefinition(description = "Requests per second each caller (remote IP address) may make to /api/ on average; 0 turns the limit off.")
        double rateLimitPerSecond() default GatewaySettings.DEFAULT_RATE;

        @AttributeDefinition(description = "Requests a caller may make at once above its rate (the bucket size).")
        int rateLimitBurst() default GatewaySettings.DEFAULT_BURST;
    }

    private final GatewayServer server;
    private final ServiceRegistration<Object> marker;

    @Activate
    public GatewayComponent(BundleContext context, @Reference Vertx vertx, @Reference SubnetNode node, Config config)
            throws Exception {
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException("org.outcalls.gateway port: " + config.port() + " is not within 0..65535");
        }
        try {
            this.server = GatewayServer.start(vertx, node, new GatewaySettings(config.host(), config.port(),
                    config.rateLimitPerSecond(), config.rateLimitBurst(), GatewaySettings.DEFAULT_EVENT_STREAMS));
        } catch (ExecutionException e) {
            String why = "gateway cannot listen on " + config.host() + ":" + config.port() + ": " + e.getCause().getMessage()
                    + (config.port() != 0 ? " (is another outcalls running? choose another port with --http-port)" : "");
            LOG.error(why);
            throw new IllegalStateException(why, e.getCause());
        }
        String url = "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + server.port() + "/";
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(URL_PROPERTY, url);
        this.marker = context.registerService(Object.class, new Object(), props);
        LOG.info("gateway listening on {}", url);
    }

    @Deactivate
    void stop() throws Exception {
        marker.unregister();
        server.close();
    }
}
