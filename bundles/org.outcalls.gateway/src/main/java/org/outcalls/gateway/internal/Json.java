package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.outcalls.canister.proxy.OutcallJson;

/** Writes JSON responses. */
final class Json {
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private Json() {
    }

    static void send(HttpServerResponse response, int status, JsonNode body) {
        send(response, status, OutcallJson.bytes(body));
    }

    static void send(HttpServerResponse response, int status, byte[] body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", CONTENT_TYPE)
                .putHeader("cache-control", "no-store").end(Buffer.buffer(body));
    }
}
