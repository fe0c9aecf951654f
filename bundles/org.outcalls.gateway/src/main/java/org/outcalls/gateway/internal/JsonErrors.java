package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.outcalls.canister.proxy.OutcallJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the gateway sends is {@code {"error": {"status", "message", "field"?}}}; an internal
 * error (500) carries an {@code error_id} instead of the exception's text, which may hold paths,
 * addresses or data of other callers: the log has the id with the stack trace.
 */
final class JsonErrors {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);
    private static final SecureRandom IDS = new SecureRandom();

    private JsonErrors() {
    }

    static void send(HttpServerResponse response, int status, String field, String message) {
        Json.send(response, status, error(status, field, message));
    }

    static void send(HttpServerResponse response, int status, String message) {
        send(response, status, null, message);
    }

    /** Answers 500 with a new error id, and logs the id, what failed and the stack trace. */
    static void internal(HttpServerResponse response, String what, Throwable cause) {
        byte[] random = new byte[8];
        IDS.nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        LOG.error("internal error {}: {}", id, what, cause);
        ObjectNode error = error(500, null, "internal error " + id + ": the gateway's log has the details under this id");
        ((ObjectNode) error.get("error")).put("error_id", id);
        Json.send(response, 500, error);
    }

    private static ObjectNode error(int status, String field, String message) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        ObjectNode e = error.putObject("error");
        e.put("status", status);
        if (field != null) {
            e.put("field", field);
        }
        e.put("message", message);
        return error;
    }

    static byte[] body(ObjectNode node) {
        return OutcallJson.bytes(node);
    }
}
