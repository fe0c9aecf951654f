package org.outcalls.gateway.internal;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.outcalls.replica.SubnetNode;

/** The HTTP server of the gateway: routes, JSON errors for unknown paths and failures. */
final class GatewayServer implements AutoCloseable {
    private final HttpServer server;

    private GatewayServer(HttpServer server) {
        this.server = server;
    }

    static GatewayServer start(Vertx vertx, SubnetNode node, String host, int port) throws Exception {
        return start(vertx, node, GatewaySettings.of(host, port));
    }

    static GatewayServer start(Vertx vertx, SubnetNode node, GatewaySettings settings) throws Exception {
        String host = settings.host();
        int port = settings.port();
        Router router = Router.router(vertx);
        RateLimiter limiter = settings.rateLimitPerSecond() > 0
                ? new RateLimiter(settings.rateLimitPerSecond(), settings.rateLimitBurst(), 10_000) : null;
        if (limiter != null) {
            router.route("/api/*").handler(new RateLimitHandler(limiter));
        }
        new DashboardRoutes(vertx, new DashboardFeed(vertx, node, limiter), settings.maxEventStreams()).register(router);
        new MetricsRoutes(vertx, node, limiter).register(router);
        new OutcallRoutes(vertx, node).register(router);
        new IngressRoutes(vertx, node).register(router);
        new CanisterRoutes(vertx, node).register(router);
        new SubnetRoutes(node).register(router);
        router.route().last().handler(rc -> JsonErrors.send(rc.response(), 404, "no such resource: "
                + rc.request().method() + " " + rc.request().path()));
        router.errorHandler(413, rc -> JsonErrors.send(rc.response(), 413, "body",
                "request body too large: at most " + org.outcalls.canister.proxy.OutcallJson.MAX_REQUEST_JSON_BYTES + " bytes"));
        router.errorHandler(405, rc -> JsonErrors.send(rc.response(), 405, "method not allowed: "
                + rc.request().method() + " " + rc.request().path()));
        router.errorHandler(500, rc -> {
            org.slf4j.LoggerFactory.getLogger(GatewayServer.class).warn("{} {} failed", rc.request().method(),
                    rc.request().path(), rc.failure());
            JsonErrors.send(rc.response(), 500, "internal error: "
                    + (rc.failure() == null ? "unknown" : rc.failure().toString()));
        });
        CompletableFuture<HttpServer> listening = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                .requestHandler(router)
                .listen(port, host).toCompletionStage().toCompletableFuture();
        return new GatewayServer(listening.get(10, TimeUnit.SECONDS));
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
