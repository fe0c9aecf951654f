package org.outcalls.replica.internal.outcall;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * Runs plugin transforms on its own worker threads (never an event loop), each call bounded in CPU
 * time, wall-clock time, allocation and output. A transform that throws, loops, sleeps, blocks or
 * allocates without end becomes a CANISTER_ERROR {@code transform_error} reject; the replica goes on.
 *
 * <p>Waiting calls sit in a {@link FairQueue} keyed by the caller (the requesting canister and the
 * principal it acts for, {@link FetchPipeline#payer}): served
 * round-robin, bounded in total and per caller. So one caller's flood of slow transforms delays
 * another caller's transform by at most the calls already running, each ended by its limits; and
 * a call over a queue bound is refused at once ({@code SYS_TRANSIENT transform_error}, naming the bound).
 *
 * <p>A watchdog samples each running call's thread CPU time, allocated bytes and age. Past a limit it
 * interrupts the thread and answers the caller at once; if the transform still runs after a grace
 * period, it stops the thread and starts a new worker in its place.
 */
public final class TransformRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransformRunner.class);
    private static final long WATCH_INTERVAL_MILLIS = 5;
    private static final long STOP_GRACE_MILLIS = 100;
    private static final AtomicInteger RUNNERS = new AtomicInteger();

    /** Bounds of one transform call. */
    public record Budget(Duration cpuTime, Duration wallTime, long allocatedBytes) {
        /** Wall time above CPU time: a busy replica shares its cores, so an honest transform may wait for one. */
        public static final Budget DEFAULT = new Budget(Duration.ofSeconds(2), Duration.ofSeconds(5), 512L * 1024 * 1024);

        public Budget {
            if (cpuTime.isNegative() || cpuTime.isZero() || wallTime.isNegative() || wallTime.isZero() || allocatedBytes <= 0) {
                throw new IllegalArgumentException("transform budget: cpuTime " + cpuTime + ", wallTime " + wallTime
                        + ", allocatedBytes " + allocatedBytes + "; all must be positive");
            }
        }
    }

    /** How many calls may wait for a worker: in all, and per caller. */
    public record QueueLimits(int total, int perCaller) {
        public static final QueueLimits DEFAULT = new QueueLimits(4096, 1024);

        /**
         * The limits of one runner that {@code replicas} replicas of one JVM share: each may hold
         * what a runner of its own would. Sharing DEFAULT, four replicas each transforming the
         * same canister's 1,024 open contexts (the bound at n = 4) could overflow the per-caller
         * queue on some replicas and not on others, so those requests would end in no_consensus.
         */
        public static QueueLimits sharedBy(int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
            }
            return new QueueLimits(Math.multiplyExact(DEFAULT.total, replicas), Math.multiplyExact(DEFAULT.perCaller, replicas));
        }
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

    private record Call(Transform transform, String name, HttpResponse response, byte[] context, long maxOutputBytes,
                        CompletableFuture<Outcome> result) {
    }

    private final Budget budget;
    private final FairQueue<Call> queue;
    private final String threadPrefix = "outcalls-transform-" + RUNNERS.incrementAndGet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Thread, RunningTransform> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public TransformRunner(Budget budget, int threads) {
        this(budget, threads, QueueLimits.DEFAULT);
    }

    public TransformRunner(Budget budget, int threads, QueueLimits limits) {
        if (threads < 1) {
            throw new IllegalArgumentException("transform threads: " + threads + "; need at least 1");
        }
        this.budget = Objects.requireNonNull(budget, "budget");
        this.queue = new FairQueue<>(limits.total(), limits.perCaller());
        if (this.threads.isThreadCpuTimeSupported() && !this.threads.isThreadCpuTimeEnabled()) {
            this.threads.setThreadCpuTimeEnabled(true);
        }
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, threadPrefix + "-watchdog"));
        watchdog.scheduleWithFixedDelay(this::watch, WATCH_INTERVAL_MILLIS, WATCH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        for (int i = 0; i < threads; i++) {
            startWorker();
        }
    }

    /**
     * Queues the transform behind the caller's earlier ones; never blocks, never completes exceptionally.
     *
     * @param caller the fairness key: whose request this is (the requesting canister and the principal it acts for)
     * @param name the name the transform is installed under, for messages
     * @param maxOutputBytes the request's max_response_bytes: a larger output is a reject
     */
    public CompletionStage<Outcome> run(String caller, String name, Transform transform, HttpResponse response,
                                        byte[] context, long maxOutputBytes) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(name, "name");
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        FairQueue.Refusal refusal = queue.offer(caller, new Call(transform, name, response, context, maxOutputBytes, result));
        if (refusal == FairQueue.Refusal.KEY_FULL) {
            result.complete(Outcome.rejected(overloaded(name, "caller '" + caller + "' already has " + queue.maxPerKey()
                    + " transforms waiting, the most one caller may have queued")));
        } else if (refusal == FairQueue.Refusal.FULL) {
            result.complete(Outcome.rejected(overloaded(name, queue.maxTotal()
                    + " transforms are already waiting, the most this replica queues")));
        } else if (refusal == FairQueue.Refusal.CLOSED) {
            result.complete(Outcome.rejected(error(name, "was not run: the replica is shutting down")));
        }
        return result;
    }

    /** Calls waiting for a worker right now. */
    int waiting() {
        return queue.waiting();
    }

    /** The worker and watchdog threads still alive: none after {@link #close()}. */
    List<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(threadPrefix + "-") && t.isAlive()).toList();
    }

    private void startWorker() {
        Thread t = daemon(this::work, threadPrefix + "-" + threadNumber.incrementAndGet());
        workers.add(t);
        t.start();
    }

    private void work() {
        Thread self = Thread.currentThread();
        try {
            while (!closed) {
                Call call;
                try {
                    call = queue.take();
                } catch (InterruptedException e) {
                    continue; // close() wakes workers this way; the loop condition decides
                }
                if (call == null) {
                    break;
                }
                RunningTransform r = new RunningTransform(self, call.name(), call.result(), cpuTime(self), allocated(self));
                running.put(self, r);
                Outcome outcome = apply(call, r);
                if (r.stopped()) {
                    // A ThreadDeath may still be on its way here: touch nothing shared, just end.
                    // The watchdog has put a new worker in this one's place.
                    return;
                }
                running.remove(self);
                Thread.interrupted(); // an interrupt that came as the transform returned
                call.result().complete(outcome);
            }
            workers.remove(self);
        } catch (ThreadDeath late) {
            // only after this thread was stopped: it ends here
        }
    }

    private Outcome apply(Call call, RunningTransform r) {
        String name = call.name();
        try {
            try {
                HttpResponse out = call.transform().apply(call.response(), call.context());
                r.markReturned();
                if (out == null) {
                    return Outcome.rejected(error(name, "returned no response"));
                }
                if (out.byteSize() > call.maxOutputBytes()) {
                    return Outcome.rejected(Reject.of(RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE, "transform '"
                            + name + "' output is " + out.byteSize() + " bytes (headers + body); max_response_bytes is "
                            + call.maxOutputBytes()));
                }
                return Outcome.of(out);
            } catch (TransformException e) {
                r.markReturned();
                return Outcome.rejected(error(name, "rejected the response: " + e.getMessage()));
            } catch (ThreadDeath e) {
                throw e;
            } catch (Throwable e) { // a plugin's failure of any kind becomes its caller's reject, never the replica's
                r.markReturned();
                String exceeded = r.limitExceeded();
                return Outcome.rejected(error(name, exceeded != null ? exceeded : "failed: " + e));
            }
        } catch (ThreadDeath e) {
            r.markReturned();
            String exceeded = r.limitExceeded();
            return Outcome.rejected(error(name, exceeded != null ? exceeded : "was stopped"));
        }
    }

    private void watch() {
        long cpuLimit = budget.cpuTime().toNanos();
        long wallLimit = budget.wallTime().toNanos();
        long grace = TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS);
        for (RunningTransform r : running.values()) {
            long cpu = cpuTime(r.thread) - r.cpuAtStart;
            long wall = System.nanoTime() - r.startedNanos;
            long bytes = allocated(r.thread) - r.allocatedAtStart;
            if (cpu > cpuLimit) {
                exceed(r, "ran longer than its CPU-time limit of " + budget.cpuTime().toMillis() + " ms");
            } else if (wall > wallLimit) {
                exceed(r, "ran longer than its wall-clock limit of " + budget.wallTime().toMillis() + " ms (it used "
                        + TimeUnit.NANOSECONDS.toMillis(cpu) + " ms of CPU time; the rest it slept, blocked or waited)");
            } else if (r.allocatedAtStart >= 0 && bytes > budget.allocatedBytes()) {
                exceed(r, "allocated more than its limit of " + budget.allocatedBytes() + " bytes");
            }
            if (r.ignoredInterrupt(grace)) {
                stop(r);
            }
        }
    }

    private static void exceed(RunningTransform r, String why) {
        r.exceed(why, error(r.name, why));
    }

    private void stop(RunningTransform r) {
        switch (r.stop()) {
            case STOPPED -> {
                LOG.warn("transform '{}' ignored its interrupt; stopped its thread, a new one takes its place", r.name);
                running.remove(r.thread, r);
                workers.remove(r.thread);
                if (!closed) {
                    startWorker();
                }
            }
            case UNSUPPORTED -> LOG.warn("this JVM cannot stop threads: transform '{}' keeps a thread busy until it returns",
                    r.name);
            case RETURNED -> { }
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

    /** The replica is too busy to run it now; another replica, or a later request, may. */
    private static Reject overloaded(String name, String why) {
        return Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.TRANSFORM_ERROR, "transform '" + name
                + "' was not run on this replica: " + why + "; retry later");
    }

    /**
     * Refuses new calls, answers the waiting and running ones with a reject, and ends every thread:
     * workers are interrupted, and stopped if their transform ignores that.
     */
    @Override
    public void close() {
        closed = true;
        for (Call waiting : queue.close()) {
            waiting.result().complete(Outcome.rejected(error(waiting.name(), "was not run: the replica is shutting down")));
        }
        watchdog.shutdownNow();
        for (RunningTransform r : running.values()) {
            String why = "was ended: the replica is shutting down";
            r.exceed(why, error(r.name, why));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS * 5);
        for (Thread t : List.copyOf(workers)) {
            join(t, deadline);
        }
        for (RunningTransform r : running.values()) {
            r.stop(); // ignored the interrupt: no replacement now
        }
        long last = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Thread t : liveThreads()) {
            if (t != Thread.currentThread()) {
                join(t, last);
            }
        }
        workers.clear();
    }

    private static void join(Thread t, long deadlineNanos) {
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
