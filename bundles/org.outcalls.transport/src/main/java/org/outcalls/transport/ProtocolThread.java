package org.outcalls.transport;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's protocol thread as a {@link Scheduler}: a single daemon thread on which the
 * replica's tasks and frame receivers run one at a time. A failing task is logged and the thread
 * goes on. After {@link #close()} new work is dropped quietly (the replica is gone). Thread-safe.
 *
 * <p>Its queue is not bounded, on purpose: it holds the replica's own timers and internal tasks,
 * which must never be refused, and their number follows the replica's own work. Peers' frames do
 * not queue here one task each: the transport keeps them in bounded per-peer lanes and posts one
 * drain task at a time ({@code PeerInbox}).
 */
public final class ProtocolThread implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolThread.class);

    private final String name;
    private final ScheduledThreadPoolExecutor executor;

    public ProtocolThread(String name) {
        this.name = name;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guard(task));
        } catch (RejectedExecutionException e) {
            // closed: the replica is gone, and so is its work
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        try {
            ScheduledFuture<?> f = executor.schedule(guard(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    /** Whether the caller runs on this protocol thread. */
    public boolean isCurrent() {
        return Thread.currentThread().getName().equals(name) && !executor.isShutdown();
    }

    /**
     * Stops the thread; queued tasks are discarded. A running task is not interrupted (it may be
     * writing to disk: an interrupt would close its file channel under it); waits up to five
     * seconds for it.
     */
    @Override
    public void close() {
        executor.getQueue().clear();
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("{}: task failed", name, e);
            }
        };
    }
}
