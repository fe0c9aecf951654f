package org.outcalls.gateway.internal;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import org.outcalls.replica.SubnetNode;

/**
 * Starts the long polls of {@code GET /outcalls/{id}?wait=S} and {@code GET /ingress/{id}?wait=S}
 * within the caps of {@link LongPollSlots} (over one: 429 with {@code Retry-After}), and no longer
 * than the connection's idle timeout allows: a poll answers (still pending) before the server would
 * cut its silent connection.
 */
final class LongPolls {
    /** The longest {@code wait} a request may ask for. */
    static final int MAX_WAIT_SECONDS = 60;
    /** How long before the idle timeout a poll answers at the latest. */
    static final int IDLE_MARGIN_SECONDS = 5;
    static final int RETRY_AFTER_SECONDS = 1;

    private final Vertx vertx;
    private final SubnetNode node;
    private final LongPollSlots slots;
    private final int longestWaitSeconds;

    LongPolls(Vertx vertx, SubnetNode node, LongPollSlots slots, int idleTimeoutSeconds) {
        this.vertx = vertx;
        this.node = node;
        this.slots = slots;
        this.longestWaitSeconds = longestWait(idleTimeoutSeconds);
    }

    /** The longest a poll waits: {@link #MAX_WAIT_SECONDS}, less if the idle timeout (0: none) is shorter. */
    static int longestWait(int idleTimeoutSeconds) {
        return idleTimeoutSeconds == 0 ? MAX_WAIT_SECONDS
                : Math.max(0, Math.min(MAX_WAIT_SECONDS, idleTimeoutSeconds - IDLE_MARGIN_SECONDS));
    }

    /**
     * The request's {@code ?wait=} in seconds (0 without one), or -1 after answering 400: a wait that
     * is no whole number, or beyond {@link #MAX_WAIT_SECONDS}.
     */
    static int waitSeconds(RoutingContext rc) {
        String wait = rc.request().getParam("wait");
        int seconds;
        try {
            seconds = wait == null ? 0 : Integer.parseInt(wait);
        } catch (NumberFormatException e) {
            JsonErrors.send(rc.response(), 400, "wait", "must be a whole number of seconds within 0.." + MAX_WAIT_SECONDS);
            return -1;
        }
        if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
            JsonErrors.send(rc.response(), 400, "wait", "must be within 0.." + MAX_WAIT_SECONDS + " seconds (was " + seconds + ")");
            return -1;
        }
        return seconds;
    }

    /** Starts a poll of up to {@code waitSeconds} for this request, or answers 429 if a cap is reached. */
    void start(RoutingContext rc, int waitSeconds, BiConsumer<LongPoll, Boolean> step) {
        long waitMillis = Math.min(waitSeconds, longestWaitSeconds) * 1000L;
        Runnable release = () -> { };
        if (waitMillis > 0) {
            String caller = Callers.key(rc);
            LongPollSlots.Outcome outcome = slots.acquire(caller);
            if (outcome != LongPollSlots.Outcome.TAKEN) {
                refuse(rc, caller, outcome);
                return;
            }
            release = () -> slots.release(caller);
        }
        new LongPoll(vertx, node, rc.response(), waitMillis, step, release).start();
    }

    private void refuse(RoutingContext rc, String caller, LongPollSlots.Outcome outcome) {
        String cap = outcome == LongPollSlots.Outcome.CALLER_AT_CAP
                ? "at most " + slots.perCaller() + " waiting requests (?wait=) per caller, and " + caller + " has that many open"
                : "at most " + slots.total() + " waiting requests (?wait=) at once in all, and that many are open";
        rc.response().putHeader("retry-after", Integer.toString(RETRY_AFTER_SECONDS));
        JsonErrors.send(rc.response(), 429, "wait", "long-poll limit: " + cap + "; retry after "
                + RETRY_AFTER_SECONDS + " s, or ask without wait");
    }
}
