package org.outcalls.replica.internal.outcall;

import java.util.concurrent.CompletableFuture;
import org.outcalls.api.Reject;

/**
 * One transform call in progress on a worker thread, and the hand-over between that worker and
 * the watchdog. The watchdog interrupts or stops the thread only while the transform has not
 * returned, under this object's lock, and the worker marks the return under the same lock; so an
 * interrupt or a {@code ThreadDeath} can never hit the next transform the worker runs.
 */
final class RunningTransform {
    final Thread thread;
    final String name;
    final CompletableFuture<TransformRunner.Outcome> result;
    final long startedNanos;
    final long cpuAtStart;
    final long allocatedAtStart;
    private String limitExceeded;
    private long exceededAt;
    private boolean returned;
    private boolean stopped;
    private boolean unstoppable;

    RunningTransform(Thread thread, String name, CompletableFuture<TransformRunner.Outcome> result,
                     long cpuAtStart, long allocatedAtStart) {
        this.thread = thread;
        this.name = name;
        this.result = result;
        this.startedNanos = System.nanoTime();
        this.cpuAtStart = cpuAtStart;
        this.allocatedAtStart = allocatedAtStart;
    }

    /** Called by the worker as soon as the transform is done: from now on the thread is left alone. */
    synchronized void markReturned() {
        returned = true;
    }

    /**
     * Past a limit: the thread is interrupted (enough for cooperative code such as the regex
     * plugin) and the caller gets the reject at once, not when the thread gives in.
     */
    void exceed(String why, Reject reject) {
        synchronized (this) {
            if (returned || limitExceeded != null) {
                return;
            }
            limitExceeded = why;
            exceededAt = System.nanoTime();
            thread.interrupt();
        }
        // Outside the lock: completing runs the caller's continuations on this thread.
        result.complete(TransformRunner.Outcome.rejected(reject));
    }

    synchronized String limitExceeded() {
        return limitExceeded;
    }

    /** True once the interrupt has had {@code graceNanos} to work and the transform still has not returned. */
    synchronized boolean ignoredInterrupt(long graceNanos) {
        return limitExceeded != null && !returned && !stopped && !unstoppable
                && System.nanoTime() - exceededAt > graceNanos;
    }

    enum Stop { STOPPED, RETURNED, UNSUPPORTED }

    /**
     * Stops the thread if the transform still has not returned. After a stop the worker thread
     * must end (a {@code ThreadDeath} may reach it late) and another takes its place.
     */
    @SuppressWarnings("removal")
    synchronized Stop stop() {
        if (returned || stopped) {
            return Stop.RETURNED;
        }
        try {
            thread.stop();
        } catch (UnsupportedOperationException e) {
            unstoppable = true; // a JVM without Thread.stop: the thread is busy until the transform returns
            return Stop.UNSUPPORTED;
        }
        stopped = true;
        return Stop.STOPPED;
    }

    synchronized boolean stopped() {
        return stopped;
    }
}
