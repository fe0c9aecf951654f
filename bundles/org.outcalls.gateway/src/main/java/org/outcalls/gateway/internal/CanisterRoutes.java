package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.outcalls.replica.SubnetNode;

/**
 * Any canister, by id and method: {@code POST /api/v1/canisters/{id}/update/{method}} submits an
 * update call (the body is the argument; answers {@code 202 {id}}, the ingress id to look up with
 * {@code GET /api/v1/ingress/{id}}; signed as {@link CallerAuth} decides), {@code GET /api/v1/canisters/{id}/query/{method}?arg=TEXT}
 * answers a query with the canister's bytes.
 */
final class CanisterRoutes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Bound on an update's argument through this route (the proxy route carries full outcall requests). */
    static final int MAX_ARGUMENT_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final SubnetNode node;
    private final CallerAuth auth;
    private final BusyReplies busy;

    CanisterRoutes(Vertx vertx, SubnetNode node, CallerAuth auth, BusyReplies busy) {
        this.vertx = vertx;
        this.node = node;
        this.auth = auth;
        this.busy = busy;
    }

    void register(Router router) {
        router.post("/api/v1/canisters/:canister/update/:method")
                .handler(RequireContentType.octetStream())
                .handler(auth)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_ARGUMENT_BYTES))
                .handler(this::update);
        router.get("/api/v1/canisters/:canister/query/:method").handler(this::query);
    }

    private boolean names(RoutingContext rc) {
        for (String field : new String[] {"canister", "method"}) {
            if (!NAME.matcher(rc.pathParam(field)).matches()) {
                JsonErrors.send(rc.response(), 400, field, "must be 1 to 64 characters of letters, digits, '.', '_' or '-'");
                return false;
            }
        }
        return true;
    }

    private void update(RoutingContext rc) {
        if (!names(rc)) {
            return;
        }
        Buffer body = rc.body().buffer();
        byte[] argument = body == null ? new byte[0] : body.getBytes();
        CallerAuth.signer(rc).submit(vertx, node, rc.pathParam("canister"), rc.pathParam("method"), argument,
                        Callers.key(rc))
                .whenComplete((id, error) -> vertx.runOnContext(v -> {
                    if (error != null && busy.answer(rc.response(), OutcallRoutes.cause(error))) {
                        return;
                    }
                    if (error != null) {
                        JsonErrors.send(rc.response(), 400, "body", OutcallRoutes.cause(error).getMessage());
                    } else {
                        Json.send(rc.response(), 202, JsonNodeFactory.instance.objectNode().put("id", id));
                    }
                }));
    }

    private void query(RoutingContext rc) {
        if (!names(rc)) {
            return;
        }
        String arg = rc.request().getParam("arg");
        node.query(rc.pathParam("canister"), rc.pathParam("method"), arg == null ? new byte[0] : arg.getBytes(StandardCharsets.UTF_8))
                .whenComplete((bytes, error) -> vertx.runOnContext(v -> {
                    if (error != null) {
                        JsonErrors.send(rc.response(), 404, OutcallRoutes.cause(error).getMessage());
                    } else {
                        boolean json = bytes.length > 0 && (bytes[0] == '{' || bytes[0] == '[');
                        rc.response().setStatusCode(200)
                                .putHeader("content-type", json ? Json.CONTENT_TYPE : "application/octet-stream")
                                .end(Buffer.buffer(bytes));
                    }
                }));
    }
}
