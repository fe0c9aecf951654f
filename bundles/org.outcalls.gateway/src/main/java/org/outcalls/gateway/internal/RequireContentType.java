package org.outcalls.gateway.internal;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.Locale;

/**
 * Refuses a body of any media type but the route's with 415, before reading it. A web page may
 * send {@code text/plain}, form and multipart bodies to any address without asking; a JSON or
 * octet-stream body from elsewhere needs a CORS preflight, which the gateway answers only for
 * configured origins. So this keeps pages off the write routes even if their {@code Origin} were lost.
 * A security-policy handler, so that Vert.x lets it run before the route's body handler.
 */
final class RequireContentType implements SecurityPolicyHandler {
    static final String JSON = "application/json";
    static final String OCTET_STREAM = "application/octet-stream";
    private final String mediaType;

    private RequireContentType(String mediaType) {
        this.mediaType = mediaType;
    }

    static RequireContentType json() {
        return new RequireContentType(JSON);
    }

    static RequireContentType octetStream() {
        return new RequireContentType(OCTET_STREAM);
    }

    @Override
    public void handle(RoutingContext rc) {
        String header = rc.request().getHeader("content-type");
        String given = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (given.equals(mediaType)) {
            rc.next();
            return;
        }
        String was = header == null ? "there was none" : "was " + (header.length() > 100 ? header.substring(0, 100) + "…" : header);
        rc.response().putHeader("accept-post", mediaType);
        JsonErrors.send(rc.response(), 415, "content-type", "the content-type header must be " + mediaType + " ("
                + was + ")");
    }
}
