package org.outcalls.gateway.internal;

/**
 * How the gateway serves: where it listens, the per-caller rate limit of {@code /api/} requests
 * (a caller is a remote IP address; a rate of 0 turns the limit off) and how many live dashboard
 * streams it keeps open at once.
 */
record GatewaySettings(String host, int port, double rateLimitPerSecond, int rateLimitBurst, int maxEventStreams) {
    static final double DEFAULT_RATE = 100;
    static final int DEFAULT_BURST = 200;
    static final int DEFAULT_EVENT_STREAMS = 32;

    GatewaySettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not within 0..65535");
        }
        if (rateLimitPerSecond < 0) {
            throw new IllegalArgumentException("rateLimitPerSecond: " + rateLimitPerSecond + " is negative (0 turns the limit off)");
        }
        if (rateLimitPerSecond > 0 && rateLimitBurst < 1) {
            throw new IllegalArgumentException("rateLimitBurst: " + rateLimitBurst + " must be at least 1");
        }
        if (maxEventStreams < 1) {
            throw new IllegalArgumentException("maxEventStreams: " + maxEventStreams + " must be at least 1");
        }
    }

    static GatewaySettings of(String host, int port) {
        return new GatewaySettings(host, port, DEFAULT_RATE, DEFAULT_BURST, DEFAULT_EVENT_STREAMS);
    }

    GatewaySettings withRateLimit(double perSecond, int burst) {
        return new GatewaySettings(host, port, perSecond, burst, maxEventStreams);
    }
}
