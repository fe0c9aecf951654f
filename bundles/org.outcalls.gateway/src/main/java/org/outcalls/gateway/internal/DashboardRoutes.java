package org.outcalls.gateway.internal;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard: a static page ({@code /}, {@code /dashboard.js}, {@code /dashboard.css}) that reads
 * {@code GET /api/v1/dashboard} once and then follows {@code GET /api/v1/dashboard/events}, a
 * server-sent event stream with a fresh snapshot every second.
 */
final class DashboardRoutes {
    static final long EVENT_PERIOD_MILLIS = 1000;
    private static final String BASE = "/org/outcalls/gateway/internal/dashboard/";

    private final Vertx vertx;
    private final DashboardFeed feed;
    private final int maxStreams;
    private final AtomicInteger streams = new AtomicInteger();
    private final Buffer html = resource("index.html");
    private final Buffer js = resource("dashboard.js");
    private final Buffer css = resource("dashboard.css");

    DashboardRoutes(Vertx vertx, DashboardFeed feed, int maxStreams) {
        this.vertx = vertx;
        this.feed = feed;
        this.maxStreams = maxStreams;
    }

    void register(Router router) {
        router.get("/").handler(rc -> asset(rc, html, "text/html; charset=utf-8"));
        router.get("/index.html").handler(rc -> asset(rc, html, "text/html; charset=utf-8"));
        router.get("/dashboard.js").handler(rc -> asset(rc, js, "text/javascript; charset=utf-8"));
        router.get("/dashboard.css").handler(rc -> asset(rc, css, "text/css; charset=utf-8"));
        router.get("/api/v1/dashboard").handler(this::snapshot);
        router.get("/api/v1/dashboard/events").handler(this::events);
    }

    private static void asset(RoutingContext rc, Buffer body, String type) {
        rc.response().putHeader("content-type", type).putHeader("cache-control", "no-cache").end(body);
    }

    private void snapshot(RoutingContext rc) {
        feed.snapshot().onComplete(ar -> {
            if (ar.succeeded()) {
                Json.send(rc.response(), 200, ar.result());
            } else {
                JsonErrors.internal(rc.response(), "building the dashboard snapshot", ar.cause());
            }
        });
    }

    private void events(RoutingContext rc) {
        if (streams.incrementAndGet() > maxStreams) {
            streams.decrementAndGet();
            JsonErrors.send(rc.response(), 503, "at most " + maxStreams + " dashboard streams at once; poll "
                    + "GET /api/v1/dashboard instead");
            return;
        }
        HttpServerResponse response = rc.response();
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
        response.write("retry: 2000\n\n");
        long[] timer = {-1};
        boolean[] closed = {false};
        Runnable send = () -> feed.snapshot().onSuccess(bytes -> {
            if (!closed[0] && !response.closed() && !response.ended() && !response.writeQueueFull()) {
                response.write(Buffer.buffer().appendString("event: snapshot\ndata: ").appendBytes(bytes).appendString("\n\n"));
            }
        });
        timer[0] = vertx.setPeriodic(EVENT_PERIOD_MILLIS, t -> send.run());
        response.closeHandler(v -> {
            closed[0] = true;
            vertx.cancelTimer(timer[0]);
            streams.decrementAndGet();
        });
        send.run();
    }

    private static Buffer resource(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + name + " is missing from the bundle");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
