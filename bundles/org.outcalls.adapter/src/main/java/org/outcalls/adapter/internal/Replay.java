package org.outcalls.adapter.internal;

import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.OutcallRequest;

/**
 * Whether a request may be sent a second time when the first copy may or may not have reached the
 * server. GET and HEAD are safe; any other method only with an {@code Idempotency-Key}, which tells
 * the server to recognise the copy (the methods plugin adds one to every replicated POST).
 */
final class Replay {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private Replay() {
    }

    /** Null if the request may be sent again; else why not, in words for the reject message. */
    static String blocker(OutcallRequest request) {
        HttpMethod method = request.method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return null;
        }
        for (HttpHeader h : request.headers()) {
            if (h.name().equalsIgnoreCase(IDEMPOTENCY_KEY)) {
                return null;
            }
        }
        return method + " is not idempotent and the request has no " + IDEMPOTENCY_KEY + " header";
    }
}
