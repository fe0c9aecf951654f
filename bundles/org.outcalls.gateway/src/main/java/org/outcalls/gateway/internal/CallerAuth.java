package org.outcalls.gateway.internal;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.net.InetAddress;
import org.outcalls.gateway.apikeys.ApiKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before the body is read, whose call an unsigned request becomes ({@link UnsignedCalls}):
 * with {@code Authorization: Bearer KEY}, the API key's custodial identity (looked up off the event
 * loop; unknown or revoked → 401); without it, from a loopback address in mode {@code loopback},
 * the gateway's own identity; otherwise 401, or 403 when the routes are off. The secret is never
 * logged. A security-policy handler, so that Vert.x runs it before the route's body handler.
 */
final class CallerAuth implements SecurityPolicyHandler {
    static final String SIGNER = "outcalls.signer";
    private static final Logger LOG = LoggerFactory.getLogger(CallerAuth.class);
    private static final String BEARER = "bearer ";

    private final UnsignedCalls mode;
    private final ApiKeyStore keys;
    private final Signer.SubnetIds subnet = new Signer.SubnetIds();

    /** @param keys the gateway's API keys, or null if it keeps none (no data folder) */
    CallerAuth(UnsignedCalls mode, ApiKeyStore keys) {
        this.mode = mode;
        this.keys = keys;
    }

    static Signer signer(RoutingContext rc) {
        return rc.get(SIGNER);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (mode == UnsignedCalls.OFF) {
            JsonErrors.send(rc.response(), 403, "authorization", "this gateway takes no unsigned calls (unsignedCalls = off): "
                    + "sign an ingress message with your own key and POST it to /api/v1/ingress (`outcalls call` does)");
            return;
        }
        String authorization = rc.request().getHeader("authorization");
        if (authorization != null) {
            withApiKey(rc, authorization);
            return;
        }
        InetAddress from = Callers.address(rc);
        if (mode == UnsignedCalls.LOOPBACK && from != null && from.isLoopbackAddress()) {
            rc.put(SIGNER, Signer.GATEWAY);
            rc.next();
            return;
        }
        unauthorized(rc, (mode == UnsignedCalls.API_KEY ? "this gateway signs unsigned calls only for API keys"
                : "a call from " + (from == null ? "an unknown address" : from.getHostAddress())
                + " (not loopback) needs an API key")
                + ": send Authorization: Bearer KEY (an admin makes one with `outcalls admin api-key create NAME`), "
                + "or sign an ingress message yourself and POST it to /api/v1/ingress");
    }

    private void withApiKey(RoutingContext rc, String authorization) {
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            unauthorized(rc, "the authorization header must be Bearer API_KEY");
            return;
        }
        if (keys == null) {
            unauthorized(rc, "this gateway keeps no API keys (it has no dataDir)");
            return;
        }
        String secret = authorization.substring(BEARER.length()).strip();
        rc.request().pause();
        rc.vertx().executeBlocking(() -> keys.authenticate(secret), false).onComplete(done -> {
            if (done.failed()) {
                rc.request().resume();
                JsonErrors.internal(rc.response(), "reading the API keys in " + keys.folder(), done.cause());
                return;
            }
            ApiKeyStore.Lookup lookup = done.result();
            if (lookup.valid()) {
                rc.put(SIGNER, Signer.custodial(lookup.signer(), subnet));
                rc.next(); // the body handler resumes the request
            } else {
                rc.request().resume();
                LOG.debug("refused an API key: {}", lookup.key() == null ? "unknown" : "revoked: " + lookup.key().name());
                unauthorized(rc, lookup.key() != null ? "the API key '" + lookup.key().name() + "' was revoked"
                        : "not a valid API key");
            }
        });
    }

    private static void unauthorized(RoutingContext rc, String message) {
        rc.response().putHeader("www-authenticate", "Bearer realm=\"outcalls\"");
        JsonErrors.send(rc.response(), 401, "authorization", message);
    }
}
