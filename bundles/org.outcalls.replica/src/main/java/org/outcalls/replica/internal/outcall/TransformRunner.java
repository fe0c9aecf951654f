package org.outcalls.replica.internal.outcall;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.transform.Transform;
import org.outcalls.api.transform.TransformException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs plugin transforms off the event loop with a CPU-time limit, an allocation limit and a bound
 * on their output. A transform that throws, loops or allocates without end becomes a
 * CANISTER_ERROR {@code transform_error} reject; the replica goes on.
 *
 * <p>A watchdog samples each running transform's thread CPU time and allocated bytes. Past a
 * limit it interrupts the thread (enough for cooperative code such as the regex plugin) and, if the
 * transform still runs after a grace period, stops the thread. The caller gets the reject at once
 * either way.
 */
public final class TransformRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransformRunner.class);
    private static final long WATCH_INTERVAL_MILLIS = 5;
    private static final long STOP_GRACE_MILLIS = 100;

    /** Bounds of one transform call. */
    public record Budget(Duration cpuTime, long allocatedBytes) {
        public static final Budget DEFAULT = new Budget(Duration.ofSeconds(2), 512L * 1024 * 1024);
    }

    /** Exactly one of a transformed response or a reject. */
    public record Outcome(HttpResponse response, Reject reject) {
        static Outcome of(HttpResponse r) {
            return new Outcome(r, null);
        }

        static Outcome rejected(Reject r) {
            return new Outcome(null, r);
        }
    }

    private final Budget budget;
    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Thread, Running> running = new ConcurrentHashMap<>();

    public TransformRunner(Budget budget, int threads) {
        this.budget = budget;
        this.workers = Executors.newFixedThreadPool(threads, named("outcalls-transform"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("outcalls-transform-watchdog"));
        watchdog.scheduleWithFixedDelay(this::watch, WATCH_INTERVAL_MILLIS, WATCH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        if (this.threads.isThreadCpuTimeSupported() && !this.threads.isThreadCpuTimeEnabled()) {
            this.threads.setThreadCpuTimeEnabled(true);
        }
    }

    /**
     * Applies the transform. Never completes exceptionally.
     *
     * @param maxOutputBytes the request's max_response_bytes: a larger output is a reject
     */
    public CompletionStage<Outcome> run(Transform transform, HttpResponse response, byte[] context, long maxOutputBytes) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        String name = transform.name();
        try {
            workers.execute(() -> apply(transform, name, response, context, maxOutputBytes, result));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.complete(Outcome.rejected(error(name, "the replica is shutting down")));
        }
        return result;
    }

    private void apply(Transform transform, String name, HttpResponse response, byte[] context, long maxOutputBytes,
                       CompletableFuture<Outcome> result) {
        Thread self = Thread.currentThread();
        Running r = new Running(self, name, result, cpuTime(self), allocated(self));
        running.put(self, r);
        try {
            HttpResponse out = transform.apply(response, context);
            if (out == null) {
                r.finish(Outcome.rejected(error(name, "returned no response")));
            } else if (out.byteSize() > maxOutputBytes) {
                r.finish(Outcome.rejected(Reject.of(RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE,
                        "transform '" + name + "' output is " + out.byteSize() + " bytes (headers + body); max_response_bytes is "
                                + maxOutputBytes)));
            } else {
                r.finish(Outcome.of(out));
            }
        } catch (TransformException e) {
            r.finish(Outcome.rejected(error(name, "rejected the response: " + e.getMessage())));
        } catch (ThreadDeath e) {
            r.finish(Outcome.rejected(error(name, r.limitExceeded == null ? "was stopped" : r.limitExceeded)));
        } catch (Throwable e) { // a plugin's failure of any kind becomes its caller's reject, never the replica's
            String why = r.limitExceeded != null ? r.limitExceeded : "failed: " + e;
            r.finish(Outcome.rejected(error(name, why)));
        } finally {
            running.remove(self);
            Thread.interrupted();
        }
    }

    @SuppressWarnings("removal")
    private void watch() {
        long cpuLimit = budget.cpuTime().toNanos();
        for (Running r : running.values()) {
            if (r.limitExceeded == null) {
                long cpu = cpuTime(r.thread) - r.cpuAtStart;
                long bytes = allocated(r.thread) - r.allocatedAtStart;
                if (cpu > cpuLimit) {
                    r.exceed("ran longer than its CPU-time limit of " + budget.cpuTime().toMillis() + " ms");
                } else if (r.allocatedAtStart >= 0 && bytes > budget.allocatedBytes()) {
                    r.exceed("allocated more than its limit of " + budget.allocatedBytes() + " bytes");
                }
            } else if (!r.stopped && System.nanoTime() - r.exceededAt > TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS)) {
                r.stopped = true;
                LOG.warn("transform '{}' ignored its interrupt; stopping its thread", r.name);
                try {
                    r.thread.stop();
                } catch (UnsupportedOperationException e) {
                    LOG.warn("this JVM cannot stop threads: transform '{}' keeps a thread busy until it returns", r.name);
                }
            }
        }
    }

    private long cpuTime(Thread t) {
        long v = threads.getThreadCpuTime(t.getId());
        return v < 0 ? 0 : v;
    }

    private long allocated(Thread t) {
        if (threads instanceof com.sun.management.ThreadMXBean sun) {
            return sun.getThreadAllocatedBytes(t.getId());
        }
        return -1;
    }

    private static Reject error(String name, String what) {
        return Reject.of(RejectCode.CANISTER_ERROR, RejectKind.TRANSFORM_ERROR, "transform '" + name + "' " + what);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        watchdog.shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One transform call in progress. */
    private static final class Running {
        final Thread thread;
        final String name;
        final CompletableFuture<Outcome> result;
        final long cpuAtStart;
        final long allocatedAtStart;
        volatile String limitExceeded;
        volatile long exceededAt;
        volatile boolean stopped;

        Running(Thread thread, String name, CompletableFuture<Outcome> result, long cpuAtStart, long allocatedAtStart) {
            this.thread = thread;
            this.name = name;
            this.result = result;
            this.cpuAtStart = cpuAtStart;
            this.allocatedAtStart = allocatedAtStart;
        }

        void exceed(String why) {
            limitExceeded = why;
            exceededAt = System.nanoTime();
            // The caller is answered now; the thread is reclaimed by interrupt or stop.
            result.complete(Outcome.rejected(error(name, why)));
            thread.interrupt();
        }

        void finish(Outcome outcome) {
            result.complete(outcome);
        }
    }
}
