package org.outcalls.gateway.internal;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.BiConsumer;
import org.outcalls.replica.SubnetNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long poll ({@code ?wait=S}): runs a step now and again after each executed height, and a last
 * time when the wait ends; the step answers and calls {@link #finish()} once it has its answer.
 * Cleans up its height subscription and timer, and gives back its slot, however it ends: answered,
 * the response ended another way, or the client gone.
 */
final class LongPoll {
    private static final Logger LOG = LoggerFactory.getLogger(LongPoll.class);

    private final Vertx vertx;
    private final SubnetNode node;
    private final HttpServerResponse response;
    private final long waitMillis;
    private final BiConsumer<LongPoll, Boolean> step;
    private final Runnable onEnd;
    private AutoCloseable subscription;
    private long timer = -1;
    private boolean done;

    /**
     * @param step called on the event loop with this poll and whether it is the last chance to answer
     * @param onEnd run once, when the poll ends
     */
    LongPoll(Vertx vertx, SubnetNode node, HttpServerResponse response, long waitMillis, BiConsumer<LongPoll, Boolean> step,
            Runnable onEnd) {
        this.vertx = vertx;
        this.node = node;
        this.response = response;
        this.waitMillis = waitMillis;
        this.step = step;
        this.onEnd = onEnd;
    }

    void start() {
        if (waitMillis > 0) {
            subscription = node.onHeight(() -> vertx.runOnContext(v -> run(false)));
            timer = vertx.setTimer(waitMillis, t -> run(true));
            response.closeHandler(v -> finish());
            response.endHandler(v -> finish());
        }
        run(waitMillis == 0);
    }

    /** Runs the step again unless the poll has ended (for steps that finish asynchronously). */
    void run(boolean last) {
        if (!done) {
            step.accept(this, last);
        }
    }

    boolean done() {
        return done;
    }

    HttpServerResponse response() {
        return response;
    }

    void finish() {
        if (!done) {
            done = true;
            onEnd.run();
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("closing a height subscription", e);
            }
            subscription = null;
        }
    }
}
