package org.outcalls.gateway.internal;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per caller: {@code ratePerSecond} requests a second on average, bursts of up to
 * {@code burst}. A caller is an IPv4 address or an IPv6 /64 ({@link Callers#key(InetAddress)}). At most {@code maxCallers} buckets are kept; the least recently seen caller is
 * forgotten first (it comes back with a full bucket, which is what an idle caller has anyway).
 * Thread-safe. Time comes from the caller so tests need no clock.
 */
final class RateLimiter {
    private final double ratePerSecond;
    private final double burst;
    private final int maxCallers;
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true);
    private long limited;

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }

    /** The answer for one request: allowed, or refused with the seconds until a token is there. */
    record Decision(boolean allowed, long retryAfterSeconds) {
    }

    RateLimiter(double ratePerSecond, int burst, int maxCallers) {
        if (ratePerSecond <= 0 || burst < 1 || maxCallers < 1) {
            throw new IllegalArgumentException("rate limit: rate " + ratePerSecond + "/s, burst " + burst
                    + " and callers " + maxCallers + " must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxCallers = maxCallers;
    }

    Decision acquire(InetAddress caller, long nowNanos) {
        return acquire(Callers.key(caller), nowNanos);
    }

    /** @param caller a caller's key, as {@link Callers#key(InetAddress)} makes it */
    synchronized Decision acquire(String caller, long nowNanos) {
        Bucket b = buckets.get(caller);
        if (b == null) {
            if (buckets.size() >= maxCallers) {
                Iterator<Map.Entry<String, Bucket>> eldest = buckets.entrySet().iterator();
                eldest.next();
                eldest.remove();
            }
            b = new Bucket(burst, nowNanos);
            buckets.put(caller, b);
        }
        double elapsed = Math.max(0, nowNanos - b.updatedNanos) / 1e9;
        b.tokens = Math.min(burst, b.tokens + elapsed * ratePerSecond);
        b.updatedNanos = nowNanos;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return new Decision(true, 0);
        }
        limited++;
        return new Decision(false, Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerSecond)));
    }

    synchronized long limitedCount() {
        return limited;
    }

    synchronized int callers() {
        return buckets.size();
    }

    double ratePerSecond() {
        return ratePerSecond;
    }

    int burst() {
        return (int) burst;
    }
}
