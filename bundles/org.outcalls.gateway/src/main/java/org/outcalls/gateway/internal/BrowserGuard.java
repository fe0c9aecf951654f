package org.outcalls.gateway.internal;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps web pages the operator visits away from the gateway, on every route. A request whose
 * {@code Host} is not one of the gateway's names gets 421: a page on a name the attacker rebinds to
 * this machine reaches it with that name (DNS rebinding). A request whose {@code Origin} is neither
 * the gateway's own nor a configured one gets 403, whatever its method: a page elsewhere gets
 * neither writes nor reads. Requests without {@code Origin} (curl, the CLI, other tools) pass; so do
 * those without {@code Host} (HTTP/1.0 tools: a browser always sends one). A configured other origin
 * also gets the CORS answers a browser needs to let its page call the gateway.
 */
final class BrowserGuard implements Handler<RoutingContext> {
    private static final int ECHO_LIMIT = 200;
    private final ServedNames names;

    BrowserGuard(ServedNames names) {
        this.names = names;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HostAndPort authority = request.authority();
        if (authority != null && !servesHost(authority)) {
            JsonErrors.send(rc.response(), 421, "host", "this gateway answers only to " + names.describeHosts()
                    + ", not to " + echo(authority.host() + (authority.port() < 0 ? "" : ":" + authority.port())) + " (a page under another name that leads here must not "
                    + "reach it); add the name to allowedHosts to serve it");
            return;
        }
        String origin = request.getHeader("origin");
        if (origin == null || names.isOwnOrigin(origin)) {
            rc.next();
        } else if (names.isAllowedOtherOrigin(origin)) {
            allowCrossOrigin(rc, origin);
        } else {
            JsonErrors.send(rc.response(), 403, "origin", "requests from web pages of other origins are refused: "
                    + echo(origin) + " is neither this gateway (http:// and " + names.describeHosts()
                    + ") nor one of allowedOrigins (" + names.describeOrigins() + ")");
        }
    }

    private boolean servesHost(HostAndPort authority) {
        try {
            return names.servesHost(authority);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** CORS for a configured origin: the header on every answer, and a preflight answered here. */
    private static void allowCrossOrigin(RoutingContext rc, String origin) {
        rc.response().putHeader("access-control-allow-origin", origin).putHeader("vary", "Origin");
        if (rc.request().method() == HttpMethod.OPTIONS && rc.request().getHeader("access-control-request-method") != null) {
            rc.response().setStatusCode(204).putHeader("access-control-allow-methods", "GET, POST")
                    .putHeader("access-control-allow-headers", "content-type")
                    .putHeader("access-control-max-age", "600").end();
            return;
        }
        rc.next();
    }

    private static String echo(String value) {
        return value.length() <= ECHO_LIMIT ? value : value.substring(0, ECHO_LIMIT) + "…";
    }
}
