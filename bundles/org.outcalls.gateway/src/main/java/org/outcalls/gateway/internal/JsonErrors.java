package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import org.outcalls.canister.proxy.OutcallJson;

/** Every error the gateway sends is {@code {"error": {"status", "message", "field"?}}}. */
final class JsonErrors {
    private JsonErrors() {
    }

    static void send(HttpServerResponse response, int status, String field, String message) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        ObjectNode e = error.putObject("error");
        e.put("status", status);
        if (field != null) {
            e.put("field", field);
        }
        e.put("message", message);
        Json.send(response, status, error);
    }

    static void send(HttpServerResponse response, int status, String message) {
        send(response, status, null, message);
    }

    static byte[] body(ObjectNode node) {
        return OutcallJson.bytes(node);
    }
}
