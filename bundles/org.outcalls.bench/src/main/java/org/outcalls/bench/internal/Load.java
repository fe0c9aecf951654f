package org.outcalls.bench.internal;

import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.outcalls.crypto.Ed25519Work;

/**
 * Drives outcalls against a target from one driver thread: a closed loop (a fixed number in
 * flight, each finished one replaced at once) to find and measure saturation, or an open loop
 * (Poisson arrivals at a given rate) for latency at a given load. Latency is measured from the
 * moment an outcall was due, so a driver or subnet that falls behind shows in the figures.
 */
final class Load {
    /**
     * What one measured window showed. {@code finished}: outcalls whose first delivery came in the
     * window; {@code busy}: of those, refused as subnet_busy in execution; {@code refused}: submissions
     * the target refused (busy at the gateway, or the pool full); {@code submitted}: submissions it took.
     */
    record Window(double seconds, long finished, long busy, long cpuNanos, long originCpuNanos, long refused,
                  long submitted, long blocks, Ed25519Work work, Phase phase, boolean drained) {
        /** Outcalls decided (a response or an agreed reject) per second: refusals are not throughput. */
        double perSecond() {
            return (finished - busy) / seconds;
        }

        double blocksPerSecond() {
            return blocks / seconds;
        }

        double cpuMicrosPerOutcall() {
            return finished == busy ? Double.NaN : cpuNanos / 1e3 / (finished - busy);
        }

        /** Ed25519 signatures made and checked per decided outcall. */
        Row.Signatures signaturesPerOutcall() {
            long decided = finished - busy;
            return decided == 0 ? new Row.Signatures(Double.NaN, Double.NaN)
                    : new Row.Signatures((double) work.signatures() / decided, (double) work.verifications() / decided);
        }

        double originCpuMicrosPerOutcall() {
            return finished == busy ? Double.NaN : originCpuNanos / 1e3 / (finished - busy);
        }

        /** Refusals per second: at submission, and as subnet_busy in execution. */
        double refusedPerSecond() {
            return (refused + busy) / seconds;
        }

        /** The share of attempts refused (at submission or in execution). */
        double refusedShare() {
            long attempts = refused + submitted;
            return attempts == 0 ? Double.NaN : (double) (refused + busy) / attempts;
        }
    }

    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(90);

    private final Target target;
    private final Probe probe;
    private final OriginProcess origin;
    private final AtomicLong tags;

    Load(Target target, Probe probe, OriginProcess origin, AtomicLong tags) {
        this.target = target;
        this.probe = probe;
        this.origin = origin;
        this.tags = tags;
    }

    /** {@code window} outcalls in flight; measures after {@code warmupNanos} for {@code measureNanos}. */
    Window closed(String url, int window, long warmupNanos, long measureNanos) throws InterruptedException {
        Semaphore permits = new Semaphore(window);
        Phase warm = new Phase(permits);
        Phase measured = new Phase(permits);
        long start = System.nanoTime();
        long measureAt = start + warmupNanos;
        long end = measureAt + measureNanos;
        AtomicLong refused = new AtomicLong();
        AtomicLong submitted = new AtomicLong();
        DriverWork own = new DriverWork(measureAt);
        Thread driver = new Thread(() -> {
            try {
                while (System.nanoTime() < end) {
                    own.check();
                    if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (submit(url, now, now < measureAt ? warm : measured)) {
                        submitted.incrementAndGet();
                    } else {
                        permits.release();
                        refused.incrementAndGet();
                        LockSupport.parkNanos(1_000_000); // a client that tries again a millisecond later
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            own.end();
        }, "bench-driver");
        return run(driver, own, measureAt, end, warm, measured, refused, submitted);
    }

    /** Poisson arrivals at {@code perSecond}; measures after {@code warmupNanos} for {@code measureNanos}. */
    Window open(String url, double perSecond, long warmupNanos, long measureNanos, long seed) throws InterruptedException {
        double rate = Math.max(1, perSecond); // a rate of 0 (nothing finished in a short window) would never end
        Phase warm = new Phase(null);
        Phase measured = new Phase(null);
        long start = System.nanoTime();
        long measureAt = start + warmupNanos;
        long end = measureAt + measureNanos;
        AtomicLong refused = new AtomicLong();
        AtomicLong submitted = new AtomicLong();
        SplittableRandom random = new SplittableRandom(seed);
        DriverWork own = new DriverWork(measureAt);
        Thread driver = new Thread(() -> {
            long due = start;
            while (due < end) {
                own.check();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                if (submit(url, due, due < measureAt ? warm : measured)) {
                    submitted.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
                due += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
            }
            own.end();
        }, "bench-driver");
        return run(driver, own, measureAt, end, warm, measured, refused, submitted);
    }

    private boolean submit(String url, long dueNanos, Phase phase) {
        long tag = tags.incrementAndGet();
        probe.started(tag, dueNanos, phase);
        if (target.submit(tag, url)) {
            return true;
        }
        probe.cancelled(tag);
        return false;
    }

    private Window run(Thread driver, DriverWork own, long measureAt, long end, Phase warm, Phase measured,
                       AtomicLong refused, AtomicLong submitted) throws InterruptedException {
        driver.setDaemon(true);
        driver.start();
        sleepUntil(measureAt);
        long f0 = probe.finished();
        long busy0 = probe.busy();
        long cpu0 = target.cpuNanos(driver.getId());
        Ed25519Work work0 = target.ed25519Work();
        long origin0 = origin.cpuNanos();
        long refused0 = refused.get();
        long submitted0 = submitted.get();
        long h0 = target.height();
        long t0 = System.nanoTime();
        sleepUntil(end);
        long f1 = probe.finished();
        long busy1 = probe.busy();
        long cpu1 = target.cpuNanos(driver.getId());
        Ed25519Work work1 = target.ed25519Work();
        long origin1 = origin.cpuNanos();
        long t1 = System.nanoTime();
        long refused1 = refused.get();
        long submitted1 = submitted.get();
        long h1 = target.height();
        driver.join();
        boolean drained = warm.drain(DRAIN_NANOS) && measured.drain(DRAIN_NANOS);
        return new Window((t1 - t0) / 1e9, f1 - f0, busy1 - busy0, cpu1 - cpu0, origin1 - origin0, refused1 - refused0,
                submitted1 - submitted0, h1 - h0, work1.minus(work0).minus(own.measured()), measured, drained);
    }

    /**
     * The Ed25519 work of the driver thread itself within the measured window (it signs and checks
     * the ingress messages it submits in this JVM): left out of the replicas' work, as its CPU is.
     */
    private static final class DriverWork {
        private final long measureAt;
        private Ed25519Work atStart;
        private volatile Ed25519Work measured = new Ed25519Work(0, 0);

        DriverWork(long measureAt) {
            this.measureAt = measureAt;
        }

        /** On the driver thread: notes where the measured window starts. */
        void check() {
            if (atStart == null && System.nanoTime() >= measureAt) {
                atStart = Ed25519Work.byThisThread();
            }
        }

        /** On the driver thread, when it stops. */
        void end() {
            if (atStart != null) {
                measured = Ed25519Work.byThisThread().minus(atStart);
            }
        }

        /** After the driver thread ended. */
        Ed25519Work measured() {
            return measured;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
