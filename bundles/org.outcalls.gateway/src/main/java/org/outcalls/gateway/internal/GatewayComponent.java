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

        @AttributeDefinition(description = "Requests per second each caller (remote IPv4 address, or IPv6 /64) may make to /api/ on average; 0 turns the limit off.")
        double rateLimitPerSecond() default GatewaySettings.DEFAULT_RATE;

        @AttributeDefinition(description = "Requests a caller may make at once above its rate (the bucket size).")
        int rateLimitBurst() default GatewaySettings.DEFAULT_BURST;

        @AttributeDefinition(description = "Host names (NAME or NAME:PORT; without a port, the gateway's) it answers to besides "
                + "localhost, 127.0.0.1, [::1] and its bind address; a request with another Host header gets 421. "
                + "Commas or spaces separate several in one value.")
        String[] allowedHosts() default {};

        @AttributeDefinition(description = "Origins (scheme://host[:port]) of web pages besides the gateway's own that may call it "
                + "(they also get CORS answers); a request with another Origin header gets 403.")
        String[] allowedOrigins() default {};

        @AttributeDefinition(description = "Seconds a connection may stay silent (nothing read or written) before the gateway "
                + "closes it; 0 turns it off. Long polls answer 5 s before it at the latest.")
        int idleTimeoutSeconds() default GatewaySettings.DEFAULT_IDLE_TIMEOUT_SECONDS;

        @AttributeDefinition(description = "Long polls (?wait=) one caller (IPv4 address or IPv6 /64) may hold open at once; more get 429.")
        int maxLongPollsPerCaller() default GatewaySettings.DEFAULT_LONG_POLLS_PER_CALLER;

        @AttributeDefinition(description = "Long polls (?wait=) all callers together may hold open at once; more get 429.")
        int maxLongPolls() default GatewaySettings.DEFAULT_LONG_POLLS;

        @AttributeDefinition(description = "Who may make unsigned calls (POST /api/v1/outcalls, /api/v1/canisters/…/update/…), "
                + "which the gateway signs: loopback (an API key's identity with Authorization: Bearer KEY; without a key, "
                + "loopback callers only, as the gateway's own identity), api-key (API keys only) or off (callers sign "
                + "their own ingress messages).")
        String unsignedCalls() default "loopback";

        @AttributeDefinition(description = "The gateway's data folder: its API keys (api-keys.json, api-keys/NAME.key), "
                + "which `outcalls admin api-key` manages. Empty: no API keys.")
        String dataDir() default "";
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
            this.server = GatewayServer.start(vertx, node, settings(config));
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

    static GatewaySettings settings(Config config) {
        return new GatewaySettings(config.host(), config.port(), config.rateLimitPerSecond(), config.rateLimitBurst(),
                GatewaySettings.DEFAULT_EVENT_STREAMS, GatewaySettings.list(config.allowedHosts()),
                GatewaySettings.list(config.allowedOrigins()), config.idleTimeoutSeconds(), config.maxLongPollsPerCaller(),
                config.maxLongPolls(), UnsignedCalls.parse(config.unsignedCalls()),
                config.dataDir().isBlank() ? null : java.nio.file.Path.of(config.dataDir()));
    }

    @Deactivate
    void stop() throws Exception {
        marker.unregister();
        server.close();
    }
}
