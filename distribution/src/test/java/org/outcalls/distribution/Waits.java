package org.outcalls.distribution;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polling processes under test until what a test waits for holds, every 200 ms up to a timeout. An
 * IOException counts as "not yet": a gateway that is still starting or restarting refuses connections.
 */
final class Waits {
    private Waits() {
    }

    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    private record Polled<T>(boolean done, T last) {
    }

    static void awaitUntil(String what, Probe<Boolean> condition, Duration timeout) throws Exception {
        if (!poll(condition, Boolean::booleanValue, timeout).done()) {
            throw new AssertionError("not within " + timeout + ": " + what);
        }
    }

    /** The first answer of {@code probe} that {@code done} accepts; a failure names the last answer. */
    static <T> T awaitReply(Probe<T> probe, Predicate<T> done, Duration timeout) throws Exception {
        Polled<T> polled = poll(probe, done, timeout);
        if (!polled.done()) {
            throw new AssertionError("not within " + timeout + "; last answer " + polled.last());
        }
        return polled.last();
    }

    private static <T> Polled<T> poll(Probe<T> probe, Predicate<T> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return new Polled<>(true, last);
                }
            } catch (IOException e) {
                // not reachable yet
            }
            Thread.sleep(200);
        }
        return new Polled<>(false, last);
    }
}
