package org.outcalls.distribution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.outcalls.replica.SubnetBusyException;

/**
 * Continuous outcall load from inside the framework: one thread submits the same request document
 * at a fixed rate through the proxy canister and remembers each message id and when it was sent.
 * A submission the subnet refuses as busy (admission control: nothing entered the pool) is made
 * again after its {@code Retry-After}, as {@code outcalls call} does; so on a slow machine the load
 * runs below its rate instead of losing requests. Any other refusal is counted.
 */
final class OutcallLoad {
    /** One submitted request. */
    record Sent(String id, long nanos) {
    }

    private final ExamSubnet subnet;
    private final String requestJson;
    private final long periodNanos;
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stop;
    private volatile long startedNanos;
    private volatile long stoppedNanos;

    private OutcallLoad(ExamSubnet subnet, String requestJson, int perSecond) {
        this.subnet = subnet;
        this.requestJson = requestJson;
        this.periodNanos = 1_000_000_000L / perSecond;
        this.thread = new Thread(this::run, "outcall-load");
        this.thread.setDaemon(true);
    }

    static OutcallLoad start(ExamSubnet subnet, String requestJson, int perSecond) {
        OutcallLoad load = new OutcallLoad(subnet, requestJson, perSecond);
        load.thread.start();
        return load;
    }

    private void run() {
        long t0 = System.nanoTime();
        startedNanos = t0;
        for (long i = 0; !stop; i++) {
            long wait = t0 + i * periodNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            try {
                String id = subnet.submit(requestJson);
                synchronized (sent) {
                    sent.add(new Sent(id, System.nanoTime()));
                    sent.notifyAll();
                }
            } catch (RuntimeException e) {
                SubnetBusyException b = ExamSubnet.busy(e);
                if (b == null) {
                    refused.incrementAndGet();
                } else {
                    // the same request again once the subnet has room; the schedule restarts from then
                    busy.incrementAndGet();
                    LockSupport.parkNanos(Duration.ofSeconds(Math.max(1, b.retryAfterSeconds())).toNanos());
                    t0 = System.nanoTime() - i * periodNanos;
                }
            }
        }
        stoppedNanos = System.nanoTime();
    }

    /** Stops submitting; returns everything submitted, in order. */
    List<Sent> stop() throws InterruptedException {
        stop = true;
        thread.join();
        synchronized (sent) {
            return new ArrayList<>(sent);
        }
    }

    /**
     * The first {@code count} submissions, once they have been made; fails if that takes longer than
     * {@code timeout} (the subnet stays busy, or the load has stopped).
     */
    List<Sent> awaitSent(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (sent) {
            while (sent.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stop) {
                    throw new AssertionError("the load made " + sent.size() + " of " + count + " submissions within "
                            + timeout + " (" + busy.get() + " busy refusals, " + refused.get() + " other)");
                }
                sent.wait(Math.max(1, left / 1_000_000));
            }
            return new ArrayList<>(sent.subList(0, count));
        }
    }

    /** Submissions made so far. */
    int sentCount() {
        synchronized (sent) {
            return sent.size();
        }
    }

    /** Busy refusals, each made again afterwards (not lost). */
    int busy() {
        return busy.get();
    }

    /** Submissions the subnet refused for another reason than being busy (its ingress pool was full, for instance). */
    int refused() {
        return refused.get();
    }

    /** Submitted per second between start and stop. */
    double rate() {
        synchronized (sent) {
            return sent.size() / ((stoppedNanos - startedNanos) / 1e9);
        }
    }
}
