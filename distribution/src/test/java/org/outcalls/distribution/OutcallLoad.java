package org.outcalls.distribution;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Continuous outcall load from inside the framework: one thread submits the same request document
 * at a fixed rate through the proxy canister and remembers each message id and when it was sent.
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
                }
            } catch (RuntimeException e) {
                refused.incrementAndGet();
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

    /** Submissions the subnet refused (its ingress pool was full, for instance). */
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
