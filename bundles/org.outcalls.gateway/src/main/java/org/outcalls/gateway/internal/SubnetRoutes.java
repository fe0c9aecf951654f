package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import org.outcalls.replica.SubnetNode;

/** {@code GET /api/v1/subnet}: replicas, heights, state hashes, registry version, enabled plugins. */
final class SubnetRoutes {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SubnetNode node;

    SubnetRoutes(SubnetNode node) {
        this.node = node;
    }

    void register(Router router) {
        router.get("/api/v1/subnet").handler(rc -> Json.send(rc.response(), 200, MAPPER.valueToTree(node.status())));
    }
}
