package org.outcalls.demo.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.UUID;
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
import org.outcalls.api.HttpHeader;
import org.outcalls.testkit.origin.ScriptedOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's local HTTPS origin (https://localhost:7443 by default), with a certificate from its
 * own throwaway CA. {@code outcalls run} trusts that CA for the origin's own host and address only,
 * and exempts only them, at the origin's port, from the private-address block.
 * <ul>
 * <li>{@code GET /hello}: the same JSON for everyone — agrees.</li>
 * <li>{@code GET /price}: a timestamp, a request id and a price that moves on every request —
 * replicas disagree until a transform and the median policy handle it.</li>
 * <li>{@code POST /orders}: echoes the body and the {@code Idempotency-Key} it was sent.</li>
 * </ul>
 */
@Component(immediate = true, configurationPid = "org.outcalls.demo", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DemoOriginComponent.Config.class)
public final class DemoOriginComponent {
    private static final Logger LOG = LoggerFactory.getLogger(DemoOriginComponent.class);
    /** Marker service properties: where the origin is and which CA to trust. */
    public static final String URL_PROPERTY = "outcalls.demo.url";
    public static final String CA_PROPERTY = "outcalls.demo.ca";
    /** The address and port the origin listens on ({@code 127.0.0.1:PORT}): {@code run} allows exactly that. */
    public static final String ADDRESS_PROPERTY = "outcalls.demo.address";
    /** Where {@link ScriptedOrigin} listens. */
    private static final String LOOPBACK = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ObjectClassDefinition(name = "Outcalls demo origin")
    public @interface Config {
        @AttributeDefinition(description = "Loopback port of the demo origin; 0 picks a free one.")
        int port() default 7443;
    }

    private final ScriptedOrigin origin;
    private final ServiceRegistration<Object> marker;

    @Activate
    public DemoOriginComponent(BundleContext context, @Reference Vertx vertx, Config config) throws Exception {
        PriceWalk walk = new PriceWalk(12.3456);
        try {
            this.origin = ScriptedOrigin.start(vertx, config.port());
        } catch (Exception e) {
            String why = "demo origin cannot listen on " + LOOPBACK + ":" + config.port() + ": " + e.getMessage()
                    + " (choose another with --demo-port, or --no-demo)";
            LOG.error(why);
            throw new IllegalStateException(why, e);
        }
        origin.route("/hello", r -> ScriptedOrigin.Reply.json("{\"message\":\"hello from the demo origin\"}"))
                .route("/price", r -> price(walk))
                .route("/orders", r -> order(r));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(URL_PROPERTY, "https://localhost:" + origin.port() + "/");
        props.put(CA_PROPERTY, origin.caPem().toString());
        props.put(ADDRESS_PROPERTY, LOOPBACK + ":" + origin.port());
        this.marker = context.registerService(Object.class, new Object(), props);
        LOG.info("demo origin listening on https://localhost:{}/", origin.port());
    }

    private static ScriptedOrigin.Reply price(PriceWalk walk) {
        ObjectNode o = JSON.createObjectNode();
        o.put("symbol", "OCS/USD");
        o.put("price", walk.next());
        o.put("timestamp", Instant.now().toString());
        o.put("request_id", UUID.randomUUID().toString());
        return ScriptedOrigin.Reply.json(o.toString()).withHeader("cache-control", "no-store");
    }

    private static ScriptedOrigin.Reply order(ScriptedOrigin.Request r) {
        if (!"POST".equals(r.method())) {
            return new ScriptedOrigin.Reply(405, List.of(new HttpHeader("allow", "POST")), new byte[0]);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("received", r.bodyText());
        String key = r.header("idempotency-key");
        o.put("idempotency_key", key == null ? "" : key);
        return ScriptedOrigin.Reply.json(o.toString());
    }

    @Deactivate
    void stop() {
        marker.unregister();
        origin.close();
    }
}
