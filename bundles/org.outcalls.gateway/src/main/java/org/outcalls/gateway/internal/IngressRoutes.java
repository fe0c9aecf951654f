package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.regex.Pattern;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.SubnetNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingress signed by the caller, relayed as it is: {@code POST /api/v1/ingress} takes the canonical
 * encoding of a signed ingress message ({@code IngressMessage.encode()}, for example an admin
 * message {@code outcalls admin} signed with the subnet's admin key) and answers {@code 202 {id}};
 * {@code GET /api/v1/ingress/{id}?wait=S} tells whether it was executed, failed or expired, and at
 * which height. The gateway never sees a private key.
 */
final class IngressRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(IngressRoutes.class);
    static final String PATH = "/api/v1/ingress";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    private final SubnetNode node;
    private final LongPolls polls;
    private final BusyReplies busy;

    IngressRoutes(SubnetNode node, LongPolls polls, BusyReplies busy) {
        this.node = node;
        this.polls = polls;
        this.busy = busy;
    }

    void register(Router router) {
        router.post(PATH)
                .handler(RequireContentType.octetStream())
                .handler(BodyHandler.create(false).setBodyLimit(IngressMessage.MAX_ENCODED_BYTES))
                .handler(this::submit)
                .failureHandler(rc -> {
                    if (rc.statusCode() == 413) {
                        JsonErrors.send(rc.response(), 413, "body", "an encoded ingress message has at most "
                                + IngressMessage.MAX_ENCODED_BYTES + " bytes");
                    } else {
                        rc.next();
                    }
                });
        router.get(PATH + "/:id").handler(this::state);
    }

    private void submit(RoutingContext rc) {
        byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        if (body.length == 0) {
            JsonErrors.send(rc.response(), 400, "body", "expected the canonical encoding of a signed ingress message "
                    + "(content-type application/octet-stream), got an empty body");
            return;
        }
        node.submitSigned(body).whenComplete((id, error) -> rc.vertx().runOnContext(v -> {
            if (error == null) {
                ObjectNode accepted = JsonNodeFactory.instance.objectNode().put("id", id);
                rc.response().putHeader("location", PATH + "/" + id);
                Json.send(rc.response(), 202, accepted);
                return;
            }
            Throwable cause = OutcallRoutes.cause(error);
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            if (busy.answer(rc.response(), cause)) {
                return;
            }
            if (cause instanceof IllegalArgumentException) {
                JsonErrors.send(rc.response(), 400, "body", "the subnet refused the message: " + message);
            } else if (cause instanceof UnsupportedOperationException) {
                JsonErrors.send(rc.response(), 501, message);
            } else {
                LOG.warn("signed ingress not submitted: {}", message);
                JsonErrors.send(rc.response(), 503, "the subnet did not accept the message: " + message);
            }
        }));
    }

    private void state(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (!ID.matcher(id).matches()) {
            JsonErrors.send(rc.response(), 400, "id", "not an ingress message id: expected 64 lower-case hex digits");
            return;
        }
        int waitSeconds = LongPolls.waitSeconds(rc);
        if (waitSeconds < 0) {
            return;
        }
        polls.start(rc, waitSeconds, (poll, last) -> look(id, poll, last));
    }

    static ObjectNode describe(String id, SubnetNode.IngressState s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("id", id)
                .put("status", s.status().name().toLowerCase(Locale.ROOT));
        if (s.height() >= 0) {
            o.put("height", s.height());
        }
        if (!s.message().isEmpty()) {
            o.put("message", s.message());
        }
        return o;
    }

    /** Answers once the message left the pool (executed, failed, expired), or when the wait ends. */
    private void look(String id, LongPoll poll, boolean last) {
        SubnetNode.IngressState s = node.ingressState(id);
        boolean pending = s.status() == SubnetNode.IngressState.Status.RECEIVED;
        if (s.status() == SubnetNode.IngressState.Status.UNKNOWN) {
            poll.finish();
            JsonErrors.send(poll.response(), 404, "id", "no ingress message with id " + id + " (never received, or "
                    + "executed so long ago that it is forgotten)");
        } else if (!pending || last) {
            poll.finish();
            Json.send(poll.response(), 200, describe(id, s));
        }
    }
}
