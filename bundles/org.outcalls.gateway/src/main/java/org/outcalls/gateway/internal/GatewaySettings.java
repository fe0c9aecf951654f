package org.outcalls.gateway.internal;

import java.util.Arrays;
import java.util.List;

/**
 * How the gateway serves: where it listens; the per-caller rate limit of {@code /api/} requests (a
 * caller is an IPv4 address or IPv6 /64; a rate of 0 turns the limit off); how many live dashboard
 * streams it keeps open at once; the host names and other web origins it answers to besides its
 * own ({@link ServedNames}); after how many silent seconds it closes a connection (0: never); and how
 * many long polls may wait at once per caller and in all; who may make unsigned calls
 * ({@link UnsignedCalls}); and the data folder holding its API keys (null: none).
 */
record GatewaySettings(String host, int port, double rateLimitPerSecond, int rateLimitBurst, int maxEventStreams,
        List<String> allowedHosts, List<String> allowedOrigins, int idleTimeoutSeconds, int maxLongPollsPerCaller,
        int maxLongPolls, UnsignedCalls unsignedCalls, java.nio.file.Path dataDir) {
    static final double DEFAULT_RATE = 100;
    static final int DEFAULT_BURST = 200;
    static final int DEFAULT_EVENT_STREAMS = 32;
    /** Above the longest wait (60 s) and its margin, so a long poll is never cut; a silent client is. */
    static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 75;
    static final int DEFAULT_LONG_POLLS_PER_CALLER = 32;
    static final int DEFAULT_LONG_POLLS = 512;

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
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
        for (String h : allowedHosts) {
            try {
                HostPort.parse(h, 1);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allowedHosts: " + e.getMessage() + " (expected NAME or NAME:PORT)", e);
            }
        }
        for (String o : allowedOrigins) {
            try {
                ServedNames.canonicalOrigin(o);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allowedOrigins: " + e.getMessage(), e);
            }
        }
        if (idleTimeoutSeconds < 0) {
            throw new IllegalArgumentException("idleTimeoutSeconds: " + idleTimeoutSeconds + " is negative (0 turns it off)");
        }
        java.util.Objects.requireNonNull(unsignedCalls, "unsignedCalls");
        if (maxLongPollsPerCaller < 1 || maxLongPolls < 1) {
            throw new IllegalArgumentException("maxLongPollsPerCaller (" + maxLongPollsPerCaller + ") and maxLongPolls ("
                    + maxLongPolls + ") must be at least 1");
        }
    }

    static GatewaySettings of(String host, int port) {
        return new GatewaySettings(host, port, DEFAULT_RATE, DEFAULT_BURST, DEFAULT_EVENT_STREAMS, List.of(), List.of(),
                DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_LONG_POLLS_PER_CALLER, DEFAULT_LONG_POLLS, UnsignedCalls.LOOPBACK, null);
    }

    GatewaySettings withRateLimit(double perSecond, int burst) {
        return new GatewaySettings(host, port, perSecond, burst, maxEventStreams, allowedHosts, allowedOrigins,
                idleTimeoutSeconds, maxLongPollsPerCaller, maxLongPolls, unsignedCalls, dataDir);
    }

    GatewaySettings withAllowed(List<String> hosts, List<String> origins) {
        return new GatewaySettings(host, port, rateLimitPerSecond, rateLimitBurst, maxEventStreams, hosts, origins,
                idleTimeoutSeconds, maxLongPollsPerCaller, maxLongPolls, unsignedCalls, dataDir);
    }

    GatewaySettings withIdleTimeout(int seconds) {
        return new GatewaySettings(host, port, rateLimitPerSecond, rateLimitBurst, maxEventStreams, allowedHosts,
                allowedOrigins, seconds, maxLongPollsPerCaller, maxLongPolls, unsignedCalls, dataDir);
    }

    GatewaySettings withLongPolls(int perCaller, int total) {
        return new GatewaySettings(host, port, rateLimitPerSecond, rateLimitBurst, maxEventStreams, allowedHosts,
                allowedOrigins, idleTimeoutSeconds, perCaller, total, unsignedCalls, dataDir);
    }

    /** Who may make unsigned calls, and where the API keys are (null: no API keys). */
    GatewaySettings withUnsignedCalls(UnsignedCalls mode, java.nio.file.Path apiKeysDir) {
        return new GatewaySettings(host, port, rateLimitPerSecond, rateLimitBurst, maxEventStreams, allowedHosts,
                allowedOrigins, idleTimeoutSeconds, maxLongPollsPerCaller, maxLongPolls, mode, apiKeysDir);
    }

    /**
     * A list setting as configuration gives it: each value may itself hold several, split at commas
     * and white space ({@code allowedHosts = a.example, b.example} in a {@code .cfg} file is one string).
     */
    static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.stream(values).flatMap(v -> Arrays.stream(v.split("[,\\s]+")))
                .filter(v -> !v.isEmpty()).toList();
    }
}
