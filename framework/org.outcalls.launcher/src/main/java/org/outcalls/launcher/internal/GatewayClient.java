package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The REST calls client subcommands make, with errors a person can act on. */
final class GatewayClient {
    static final String DEFAULT_GATEWAY = "http://127.0.0.1:7450";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GatewayClient(String gateway) {
        String g = gateway == null || gateway.isBlank() ? defaultGateway() : gateway.strip();
        this.base = parse(g, gateway == null || gateway.isBlank() ? "OUTCALLS_GATEWAY" : "--gateway");
    }

    /** The gateway's base URL: http or https with a host; else a {@link BadGateway} naming where it came from. */
    static URI parse(String url, String from) {
        URI u;
        try {
            u = new URI(url.endsWith("/") ? url : url + "/");
        } catch (java.net.URISyntaxException e) {
            throw new BadGateway(from + ": '" + url + "' is not a URL (" + e.getReason() + "); give the gateway as "
                    + "http://HOST:PORT, for example " + DEFAULT_GATEWAY);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new BadGateway(from + ": '" + url + "' is not an http:// or https:// URL with a host; give the gateway "
                    + "as http://HOST:PORT, for example " + DEFAULT_GATEWAY);
        }
        return u;
    }

    /** A gateway address that is not an http(s) URL: wrong usage (exit 2), said before anything is sent. */
    static final class BadGateway extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadGateway(String message) {
            super(message);
        }
    }

    static String defaultGateway() {
        String env = System.getenv("OUTCALLS_GATEWAY");
        return env == null || env.isBlank() ? DEFAULT_GATEWAY : env;
    }

    URI base() {
        return base;
    }

    Reply post(String path, byte[] json) throws Unreachable, InterruptedException {
        return post(path, "application/json", json);
    }

    Reply post(String path, String contentType, byte[] body) throws Unreachable, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Reply get(String path, Duration timeout) throws Unreachable, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build());
    }

    private Reply send(HttpRequest request) throws Unreachable, InterruptedException {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body;
            try {
                body = MAPPER.readTree(r.body());
            } catch (IOException e) {
                throw new Unreachable("the gateway at " + base + " answered " + r.statusCode() + " with something that is not JSON");
            }
            long retryAfter = r.headers().firstValue("retry-after").map(GatewayClient::seconds).orElse(-1L);
            return new Reply(r.statusCode(), body, r.body(), retryAfter);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new Unreachable("cannot reach the subnet's gateway at " + base
                    + " (is `outcalls run` running? set --gateway or OUTCALLS_GATEWAY)");
        } catch (IOException e) {
            throw new Unreachable("request to " + base + " failed: " + e.getMessage());
        }
    }

    /** A {@code Retry-After} in seconds; -1 if it is not a whole number of seconds (an HTTP date is not used here). */
    private static long seconds(String value) {
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** @param retryAfterSeconds the {@code Retry-After} header's seconds, -1 without one */
    record Reply(int status, JsonNode json, byte[] raw, long retryAfterSeconds) {
        Reply(int status, JsonNode json, byte[] raw) {
            this(status, json, raw, -1);
        }

        String errorMessage() {
            JsonNode e = json.path("error");
            String field = e.path("field").asText("");
            return (field.isEmpty() ? "" : field + ": ") + e.path("message").asText(json.toString());
        }
    }

    /** The gateway could not be reached or did not speak our protocol. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }
}
