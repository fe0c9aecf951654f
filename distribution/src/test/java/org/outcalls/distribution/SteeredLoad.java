package org.outcalls.distribution;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Outcalls submitted one after another, every {@code periodMillis}, through whichever replica the
 * test points it at: an operator's load balancer taking a replica out of rotation before it is
 * stopped. Remembers every id with the replica that took it in, and every submission that failed.
 */
final class SteeredLoad implements AutoCloseable {
    record Sent(String id, int via) {
    }

    private final HostedSubnet subnet;
    private final String url;
    private final long periodMillis;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger via = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Object turn = new Object();
    private final Thread thread;

    SteeredLoad(HostedSubnet subnet, String url, int via, long periodMillis) {
        this.subnet = subnet;
        this.url = url;
        this.periodMillis = periodMillis;
        this.via.set(via);
        this.thread = new Thread(this::run, "steered-load");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running.get()) {
            synchronized (turn) { // a submission in flight finishes before the target moves
                int to = via.get();
                try {
                    sent.add(new Sent(subnet.submit(to, url, 4096), to));
                } catch (Exception | AssertionError e) {
                    failures.add("through replica " + to + ": " + e);
                }
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** From now on submissions go through replica {@code to}; returns once none is in flight through another. */
    void steerTo(int to) {
        synchronized (turn) {
            via.set(to);
        }
    }

    List<Sent> sent() {
        return new ArrayList<>(sent);
    }

    List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** Stops submitting; everything submitted, in order. */
    List<Sent> stop() throws InterruptedException {
        running.set(false);
        thread.join(60_000);
        return sent();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
