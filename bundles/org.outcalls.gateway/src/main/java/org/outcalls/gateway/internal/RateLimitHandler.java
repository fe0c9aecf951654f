package org.outcalls.gateway.internal;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a caller's {@code /api/} requests beyond its rate with 429, a {@code Retry-After} header
 * and a JSON error. The caller is the connection's remote IPv4 address or IPv6 /64 ({@link Callers}).
 */
final class RateLimitHandler implements Handler<RoutingContext> {
    private final RateLimiter limiter;

    RateLimitHandler(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void handle(RoutingContext rc) {
        String caller = Callers.key(rc);
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

    private static String format(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
