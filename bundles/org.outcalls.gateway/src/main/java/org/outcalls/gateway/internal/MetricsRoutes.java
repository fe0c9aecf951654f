package org.outcalls.gateway.internal;

import static org.outcalls.gateway.internal.PrometheusText.labels;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.SubnetStatus;

/** {@code GET /metrics}: the subnet as this process sees it, in the Prometheus text format. */
final class MetricsRoutes {
    private final Vertx vertx;
    private final SubnetNode node;
    private final RateLimiter limiter;
    private final BusyReplies busy;

    MetricsRoutes(Vertx vertx, SubnetNode node, RateLimiter limiter, BusyReplies busy) {
        this.vertx = vertx;
        this.node = node;
        this.limiter = limiter;
        this.busy = busy;
    }

    void register(Router router) {
        router.get("/metrics").handler(this::scrape);
    }

    private void scrape(RoutingContext rc) {
        vertx.executeBlocking(() -> render(node.diagnostics(), node.status(), limiter, busy), false).onComplete(ar -> {
            if (ar.failed()) {
                JsonErrors.internal(rc.response(), "rendering /metrics", ar.cause());
                return;
            }
            rc.response().putHeader("content-type", PrometheusText.CONTENT_TYPE).putHeader("cache-control", "no-store")
                    .end(ar.result());
        });
    }

    static String render(Diagnostics d, SubnetStatus status, RateLimiter limiter, BusyReplies busy) {
        PrometheusText p = new PrometheusText();
        p.family("outcalls_outcalls_total", "counter", "Outcalls ended on the front replica, by status (completed, rejected) and kind (reject kind, or ok).");
        d.outcomes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(s -> s.getValue().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(k -> p.sample(labels("status", s.getKey(), "kind", k.getKey()), k.getValue())));
        p.family("outcalls_outcalls_in_flight", "gauge", "Outcalls whose request context is open on the front replica.");
        p.sample(d.inFlight().size());
        p.histogram("outcalls_outcall_duration_seconds", "End to end: from executing the block that opened an outcall to executing the block that delivered its result (front replica).", d.endToEnd());
        p.histogram("outcalls_fetch_duration_seconds", "One replica's HTTPS fetch through the adapter, all local replicas.", d.fetch());
        p.family("outcalls_blocks_per_second", "gauge", "Finalized blocks executed per second by the front replica over the last " + Diagnostics.RATE_WINDOW_SECONDS + " s.");
        p.sample(d.blocksPerSecond());
        p.family("outcalls_state_hash_agreement", "gauge", "1 if honest replicas that executed the same height have the same state hash.");
        p.sample(d.stateHashAgreement() ? 1 : 0);
        p.family("outcalls_registry_version", "gauge", "Version of the subnet registry in replicated state.");
        p.sample(status.registryVersion());
        p.family("outcalls_replica_up", "gauge", "1 if the replica executes blocks (state up), by state.");
        d.replicas().forEach(r -> p.sample(labels("replica", id(r), "state", r.state()), "up".equals(r.state()) ? 1 : 0));
        p.family("outcalls_finalized_height", "gauge", "Newest finalized height per replica.");
        d.replicas().forEach(r -> p.sample(labels("replica", id(r)), r.finalizedHeight()));
        p.family("outcalls_notarized_height", "gauge", "Newest notarized height per replica.");
        d.replicas().forEach(r -> p.sample(labels("replica", id(r)), r.notarizedHeight()));
        p.family("outcalls_executed_height", "gauge", "Newest executed height per replica.");
        d.replicas().forEach(r -> p.sample(labels("replica", id(r)), r.executedHeight()));
        p.family("outcalls_replica_lag_heights", "gauge", "Heights the replica's finalization trails the most advanced local replica.");
        d.replicas().forEach(r -> p.sample(labels("replica", id(r)), r.lag()));
        p.family("outcalls_pool_size", "gauge", "Pool sizes per replica: ingress messages, open outcall contexts, outcall shares held.");
        d.replicas().forEach(r -> r.pools().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> p.sample(labels("replica", id(r), "pool", e.getKey()), e.getValue())));
        p.family("outcalls_consensus_events_total", "counter", "Consensus events per replica: blocks proposed, equivocations seen, invalid artifacts, ...");
        d.replicas().forEach(r -> r.counters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> p.sample(labels("replica", id(r), "event", e.getKey()), e.getValue())));
        p.family("outcalls_peer_connected", "gauge", "1 if the replica heard a frame from the peer within the last few heartbeats.");
        d.replicas().forEach(r -> r.peers().forEach(peer -> p.sample(labels("replica", id(r), "peer",
                Integer.toString(peer.index())), peer.connected() ? 1 : 0)));
        p.family("outcalls_peer_last_heard_seconds", "gauge", "Seconds since the replica last heard the peer (-1: never).");
        d.replicas().forEach(r -> r.peers().forEach(peer -> p.sample(labels("replica", id(r), "peer",
                Integer.toString(peer.index())), peer.lastHeardMillis() < 0 ? -1 : peer.lastHeardMillis() / 1000.0)));
        p.family("outcalls_missing_plugins", "gauge", "Plugins the registry enables that the replica lacks.");
        d.replicas().forEach(r -> p.sample(labels("replica", id(r)), r.missingPlugins().size()));
        p.family("outcalls_gateway_rate_limited_total", "counter", "REST requests refused with 429 by the per-caller rate limit.");
        p.sample(limiter == null ? 0 : limiter.limitedCount());
        p.family("outcalls_gateway_subnet_busy_total", "counter", "Submissions refused with 503 subnet_busy before they entered "
                + "the pool, by reason: the subnet at its high-water mark (pooled + open), or the caller at its share of it.");
        p.sample(labels("reason", "high_water"), busy == null ? 0 : busy.highWaterCount());
        p.sample(labels("reason", "caller_share"), busy == null ? 0 : busy.callerShareCount());
        return p.toString();
    }

    private static String id(Diagnostics.ReplicaView r) {
        return Integer.toString(r.index());
    }
}
