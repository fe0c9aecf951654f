package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.SubnetNode;

/**
 * The dashboard's data: the subnet's status and the replicas' diagnostics as one JSON document
 * (snake_case keys). Built on a worker (reading diagnostics waits for the replicas' protocol
 * threads), at most once per {@link #FRESH_MILLIS} however many pages and streams ask.
 */
final class DashboardFeed {
    static final long FRESH_MILLIS = 500;
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private final Vertx vertx;
    private final SubnetNode node;
    private final RateLimiter limiter;
    private byte[] latest;
    private long latestAtNanos;
    private Future<byte[]> building;

    DashboardFeed(Vertx vertx, SubnetNode node, RateLimiter limiter) {
        this.vertx = vertx;
        this.node = node;
        this.limiter = limiter;
    }

    /** The latest snapshot, rebuilt if older than {@link #FRESH_MILLIS}. */
    synchronized Future<byte[]> snapshot() {
        if (latest != null && System.nanoTime() - latestAtNanos < FRESH_MILLIS * 1_000_000) {
            return Future.succeededFuture(latest);
        }
        if (building != null) {
            return building;
        }
        Promise<byte[]> p = Promise.promise();
        building = p.future();
        vertx.executeBlocking(this::build, false).onComplete(ar -> {
            synchronized (this) {
                building = null;
                if (ar.succeeded()) {
                    latest = ar.result();
                    latestAtNanos = System.nanoTime();
                }
            }
            p.handle(ar);
        });
        return p.future();
    }

    private byte[] build() throws Exception {
        Diagnostics d = node.diagnostics();
        ObjectNode root = MAPPER.createObjectNode();
        root.set("subnet", MAPPER.valueToTree(node.status()));
        root.set("diagnostics", MAPPER.valueToTree(d));
        ObjectNode gateway = root.putObject("gateway");
        gateway.put("rate_limited", limiter == null ? 0 : limiter.limitedCount());
        return MAPPER.writeValueAsBytes(root);
    }
}
