package org.outcalls.gateway.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.api.RejectKind;
import org.outcalls.replica.SubnetBusyException;

/**
 * The answer to a submission the front replica refused as busy ({@link SubnetBusyException}):
 * 503 with {@code Retry-After} and {@code {"error": {status, kind: "subnet_busy", message,
 * retry_after}}}, counted by reason (the subnet at its high-water mark, or the caller at its share)
 * for {@code /metrics}. Nothing entered the pool, so the same request may be sent again.
 */
final class BusyReplies {
    static final String KIND = RejectKind.SUBNET_BUSY.wireName();

    private final AtomicLong highWater = new AtomicLong();
    private final AtomicLong callerShare = new AtomicLong();

    /** Answers {@code cause} if it is a busy refusal; false (nothing sent) otherwise. */
    boolean answer(HttpServerResponse response, Throwable cause) {
        if (!(cause instanceof SubnetBusyException busy)) {
            return false;
        }
        (busy.callerShare() ? callerShare : highWater).incrementAndGet();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("status", 503).put("kind", KIND).put("message", busy.getMessage())
                .put("retry_after", busy.retryAfterSeconds());
        response.putHeader("retry-after", Integer.toString(busy.retryAfterSeconds()));
        Json.send(response, 503, body);
        return true;
    }

    /** Submissions refused because the subnet was at its high-water mark. */
    long highWaterCount() {
        return highWater.get();
    }

    /** Submissions refused because their caller held its share. */
    long callerShareCount() {
        return callerShare.get();
    }
}
