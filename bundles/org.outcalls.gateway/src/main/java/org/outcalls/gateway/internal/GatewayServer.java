package org.outcalls.gateway.internal;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.gateway.apikeys.ApiKeyStore;
import org.outcalls.replica.SubnetNode;

/**
 * The HTTP server of the gateway: the browser guard on every route, then the rate limit on
 * {@code /api/}, the routes, and JSON errors for unknown paths and failures.
 */
final class GatewayServer implements AutoCloseable {
    private final HttpServer server;

    private GatewayServer(HttpServer server) {
        this.server = server;
    }

    static GatewayServer start(Vertx vertx, SubnetNode node, String host, int port) throws Exception {
        return start(vertx, node, GatewaySettings.of(host, port));
    }

    static GatewayServer start(Vertx vertx, SubnetNode node, GatewaySettings settings) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
                .setIdleTimeout(settings.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS));
        // Names without a port stand for the port the server listens on, known once it does.
        ServedNames names = new ServedNames(settings.host(), settings.allowedHosts(), settings.allowedOrigins(), server::actualPort);
        server.requestHandler(router(vertx, node, settings, names));
        server.listen(settings.port(), settings.host()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new GatewayServer(server);
    }

    private static Router router(Vertx vertx, SubnetNode node, GatewaySettings settings, ServedNames names) {
        Router router = Router.router(vertx);
        new HealthRoutes(node).register(router);
        router.route().handler(new BrowserGuard(names));
        RateLimiter limiter = settings.rateLimitPerSecond() > 0
                ? new RateLimiter(settings.rateLimitPerSecond(), settings.rateLimitBurst(), 10_000) : null;
        if (limiter != null) {
            router.route("/api/*").handler(new RateLimitHandler(limiter));
        }
        LongPolls polls = new LongPolls(vertx, node, new LongPollSlots(settings.maxLongPollsPerCaller(),
                settings.maxLongPolls()), settings.idleTimeoutSeconds());
        BusyReplies busy = new BusyReplies();
        new DashboardRoutes(vertx, new DashboardFeed(vertx, node, limiter), settings.maxEventStreams()).register(router);
        new MetricsRoutes(vertx, node, limiter, busy).register(router);
        CallerAuth auth = new CallerAuth(settings.unsignedCalls(),
                settings.dataDir() == null ? null : new ApiKeyStore(settings.dataDir()));
        new OutcallRoutes(vertx, node, polls, auth, busy).register(router);
        new IngressRoutes(node, polls, busy).register(router);
        new CanisterRoutes(vertx, node, auth, busy).register(router);
        new SubnetRoutes(node).register(router);
        new CupRoutes(node).register(router);
        router.route().last().handler(rc -> JsonErrors.send(rc.response(), 404, "no such resource: "
                + rc.request().method() + " " + rc.request().path()));
        router.errorHandler(413, rc -> JsonErrors.send(rc.response(), 413, "body",
                "request body too large: at most " + OutcallJson.MAX_REQUEST_JSON_BYTES + " bytes"));
        router.errorHandler(405, rc -> JsonErrors.send(rc.response(), 405, "method not allowed: "
                + rc.request().method() + " " + rc.request().path()));
        router.errorHandler(500, rc -> JsonErrors.internal(rc.response(), rc.request().method() + " " + rc.request().path(),
                rc.failure()));
        return router;
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
