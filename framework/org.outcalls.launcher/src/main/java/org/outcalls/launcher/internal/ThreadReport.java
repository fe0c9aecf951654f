package org.outcalls.launcher.internal;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** After the framework stops, names any non-daemon thread a bundle failed to end. */
final class ThreadReport {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadReport.class);

    private ThreadReport() {
    }

    static List<Thread> lingering() {
        Thread self = Thread.currentThread();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t != self && t.isAlive() && !t.isDaemon() && !"DestroyJavaVM".equals(t.getName()))
                .toList();
    }

    /** Waits up to a few seconds for threads that end on their own (Netty's global executor idles out after 1 s). */
    static void warnAboutLingeringThreads() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
        for (Thread t : lingering()) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    t.join(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<Thread> left = lingering();
        if (!left.isEmpty()) {
            LOG.warn("threads still running after the framework stopped: {}",
                    left.stream().map(Thread::getName).toList());
        }
    }
}
