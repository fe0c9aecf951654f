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

    static void warnAboutLingeringThreads() {
        List<Thread> left = lingering();
        if (!left.isEmpty()) {
            LOG.warn("threads still running after the framework stopped: {}",
                    left.stream().map(Thread::getName).toList());
        }
    }
}
