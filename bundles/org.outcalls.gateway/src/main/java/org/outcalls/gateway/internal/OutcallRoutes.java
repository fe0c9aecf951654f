package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyCall;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.canister.proxy.RequestJsonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.outcalls.replica.SubnetNode;

/**
 * {@code POST /api/v1/outcalls} and {@code GET /api/v1/outcalls/{id}?wait=S}: outcalls made through
 * the proxy canister, signed as {@link CallerAuth} decides. A result is looked up by the ingress
 * message id, so one signed elsewhere and relayed by {@code POST /api/v1/ingress} is read here too.
 */
final class OutcallRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OutcallRoutes.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16,128}");

    private final Vertx vertx;
    private final SubnetNode node;
    private final LongPolls polls;
    private final CallerAuth auth;
    private final BusyReplies busy;

    OutcallRoutes(Vertx vertx, SubnetNode node, LongPolls polls, CallerAuth auth, BusyReplies busy) {
        this.vertx = vertx;
        this.node = node;
        this.polls = polls;
        this.auth = auth;
        this.busy = busy;
    }

    void register(Router router) {
        router.post("/api/v1/outcalls")
                .handler(RequireContentType.json())
                .handler(auth)
                .handler(BodyHandler.create(false).setBodyLimit(OutcallJson.MAX_REQUEST_JSON_BYTES))
                .handler(this::submit);
        router.get("/api/v1/outcalls/:id").handler(this::result);
    }

    private void submit(RoutingContext rc) {
        byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        ProxyCall call;
        try {
            call = OutcallJson.parseRequest(body);
        } catch (RequestJsonException e) {
            JsonErrors.send(rc.response(), 400, e.field(), e.getMessage());
            return;
        }
        CallerAuth.signer(rc).submit(vertx, node, ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_OUTCALL,
                        OutcallJson.writeArgument(call), Callers.key(rc))
                .whenComplete((id, error) -> rc.vertx().runOnContext(v -> {
                    if (error != null && busy.answer(rc.response(), cause(error))) {
                        return;
                    }
                    if (error != null) {
                        LOG.warn("outcall not submitted: {}", cause(error).getMessage());
                        JsonErrors.send(rc.response(), 503, "the subnet did not accept the request: " + cause(error).getMessage());
                        return;
                    }
                    ObjectNode accepted = JsonNodeFactory.instance.objectNode().put("id", id);
                    rc.response().putHeader("location", "/api/v1/outcalls/" + id);
                    Json.send(rc.response(), 202, accepted);
                }));
    }

    private void result(RoutingContext rc) {
        String id = rc.pathParam("id");
        if (!ID.matcher(id).matches()) {
            JsonErrors.send(rc.response(), 400, "id", "not an outcall id: expected the hex id that POST /api/v1/outcalls returned");
            return;
        }
        int waitSeconds = LongPolls.waitSeconds(rc);
        if (waitSeconds < 0) {
            return;
        }
        ResultLookup lookup = new ResultLookup(vertx, node, id);
        polls.start(rc, waitSeconds, lookup::step);
    }

    static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Looks a result up now and again after each executed height, until it is final or the wait ends. */
    private static final class ResultLookup {
        private final SubnetNode node;
        private final Vertx vertx;
        private final String id;
        private boolean running;
        private boolean again;
        /** Whether the look to run again is the last chance to answer (a request without wait has only that). */
        private boolean againLast;
        /** The message was executed but the record was missing: one more look tells a race from a dropped record. */
        private boolean lookedAgain;

        ResultLookup(Vertx vertx, SubnetNode node, String id) {
            this.vertx = vertx;
            this.node = node;
            this.id = id;
        }

        void step(LongPoll poll, boolean last) {
            if (running) {
                again = true;
                againLast |= last;
                return;
            }
            running = true;
            node.query(ProxyProtocol.CANISTER_ID, ProxyProtocol.QUERY_GET, id.getBytes(StandardCharsets.UTF_8))
                    .whenComplete((record, error) -> vertx.runOnContext(v -> {
                        running = false;
                        if (!poll.done()) {
                            answer(poll, record, error, last);
                        }
                        if (!poll.done() && again) {
                            boolean lastAgain = againLast;
                            again = false;
                            againLast = false;
                            poll.run(lastAgain);
                        }
                    }));
        }

        private void answer(LongPoll poll, byte[] record, Throwable error, boolean last) {
            if (error == null) {
                ObjectNode node = OutcallJson.readObject(record);
                if (!ProxyProtocol.STATUS_PENDING.equals(node.path("status").asText()) || last) {
                    poll.finish();
                    Json.send(poll.response(), 200, record);
                }
                return;
            }
            String message = cause(error).getMessage() == null ? cause(error).toString() : cause(error).getMessage();
            if (!message.startsWith(ProxyProtocol.NOT_FOUND_PREFIX)) {
                poll.finish();
                JsonErrors.internal(poll.response(), "looking up outcall " + id, cause(error));
                return;
            }
            SubnetNode.IngressState state = this.node.ingressState(id);
            switch (state.status()) {
                case UNKNOWN -> {
                    poll.finish();
                    JsonErrors.send(poll.response(), 404, "id", "no outcall with id " + id);
                }
                case RECEIVED -> {
                    if (last) {
                        poll.finish();
                        Json.send(poll.response(), 200, OutcallJson.bytes(JsonNodeFactory.instance.objectNode()
                                .put("id", id).put("status", ProxyProtocol.STATUS_PENDING)));
                    }
                }
                case EXECUTED -> {
                    if (!lookedAgain) {
                        // the block may have executed between the query and this look: ask the proxy once more
                        lookedAgain = true;
                        again = true;
                        againLast |= last;
                        return;
                    }
                    poll.finish();
                    JsonErrors.send(poll.response(), 404, "id", "no result with id " + id + " any more: the message was "
                            + "executed at height " + state.height() + ", and the proxy keeps a result for a while after it "
                            + "completes (see GET /api/v1/subnet and the README's quotas), or it was no call to the proxy");
                }
                case FAILED -> {
                    poll.finish();
                    Json.send(poll.response(), 200, failed(state));
                }
                case EXPIRED -> {
                    poll.finish();
                    Json.send(poll.response(), 200, rejected("SYS_TRANSIENT", "timeout",
                            "the request expired before the subnet included it in a block"));
                }
            }
        }

        /**
         * A message the subnet executed but that failed: a refusal of the proxy (its balance or a
         * quota; nothing kept, nothing charged) is the caller's CANISTER_REJECT of that kind, anything
         * else a CANISTER_ERROR.
         */
        private byte[] failed(SubnetNode.IngressState state) {
            var refusal = ProxyProtocol.refusal(state.message());
            ObjectNode o = JsonNodeFactory.instance.objectNode().put("id", id).put("status", ProxyProtocol.STATUS_REJECTED);
            if (state.height() >= 0) {
                o.put("height", state.height());
            }
            o.putObject("reject").put("code", refusal.isPresent() ? "CANISTER_REJECT" : "CANISTER_ERROR")
                    .put("kind", refusal.map(ProxyProtocol.Refusal::kind).orElse("invalid_argument"))
                    .put("message", refusal.map(ProxyProtocol.Refusal::message).orElse(state.message()));
            return OutcallJson.bytes(o);
        }

        private byte[] rejected(String code, String kind, String message) {
            ObjectNode o = JsonNodeFactory.instance.objectNode().put("id", id).put("status", ProxyProtocol.STATUS_REJECTED);
            o.putObject("reject").put("code", code).put("kind", kind).put("message", message);
            return OutcallJson.bytes(o);
        }
    }
}
