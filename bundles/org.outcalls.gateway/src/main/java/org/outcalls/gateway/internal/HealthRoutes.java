package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.outcalls.replica.Readiness;
import org.outcalls.replica.SubnetNode;

/**
 * Probes for load balancers and orchestrators: {@code GET /healthz} (200 while the process and its
 * gateway answer) and {@code GET /readyz} (200 when {@link SubnetNode#readiness()} says the replicas
 * here are up to date enough to serve, else 503 with the reasons). Plain: no authentication, no
 * rate limit, and registered before the browser guard, because probes address a replica by its IP
 * or container name, which need not be one of the gateway's served names; they reveal heights and
 * halt reasons only, nothing a caller could act on. Cheap: in-memory state, answered on the event loop.
 */
final class HealthRoutes {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SubnetNode node;

    HealthRoutes(SubnetNode node) {
        this.node = node;
    }

    void register(Router router) {
        router.get("/healthz").handler(rc -> Json.send(rc.response(), 200, MAPPER.valueToTree(Map.of("status", "alive"))));
        router.get("/readyz").handler(this::ready);
    }

    private void ready(RoutingContext rc) {
        Readiness r;
        try {
            r = node.readiness();
        } catch (RuntimeException e) {
            JsonErrors.internal(rc.response(), "GET /readyz", e);
            return;
        }
        Json.send(rc.response(), r.ready() ? 200 : 503, MAPPER.valueToTree(r.toJson()));
    }
}
