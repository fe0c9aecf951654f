package org.outcalls.gateway.internal;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetSocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a caller's {@code /api/} requests beyond its rate with 429, a {@code Retry-After} header
 * and a JSON error. The caller is the remote IP address of the connection (forwarding headers are
 * not trusted: the gateway has no proxy in front of it).
 */
final class RateLimitHandler implements Handler<RoutingContext> {
    private final RateLimiter limiter;

    RateLimitHandler(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void handle(RoutingContext rc) {
        String caller = caller(rc);
        RateLimiter.Decision d = limiter.acquire(caller, System.nanoTime());
        if (d.allowed()) {
            rc.next();
            return;
        }
        rc.response().putHeader("retry-after", Long.toString(d.retryAfterSeconds()));
        JsonErrors.send(rc.response(), 429, "rate limit: at most " + format(limiter.ratePerSecond())
                + " requests per second per caller (bursts of " + limiter.burst() + "); " + caller
                + " is over it: retry after " + d.retryAfterSeconds() + " s");
    }

    /**
     * The remote IP address, read from the connection's channel: Vert.x 5.1's
     * {@code remoteAddress()} checks for a QUIC channel and fails with NoClassDefFoundError when
     * Netty's QUIC classes are absent, as they are here.
     */
    static String caller(RoutingContext rc) {
        HttpConnection c = rc.request().connection();
        if (c instanceof ConnectionBase base && base.channel() != null
                && base.channel().remoteAddress() instanceof InetSocketAddress a) {
            return a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        }
        return "unknown";
    }

    private static String format(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
