package org.outcalls.transport.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/** Logs a warning at most once per key and period: a peer retrying every second must not flood the log. */
public final class RateLimitedLog {
    private final Logger log;
    private final long periodNanos;
    private final Map<String, Long> last = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 1024;
        }
    };

    public RateLimitedLog(Logger log, long periodNanos) {
        this.log = log;
        this.periodNanos = periodNanos;
    }

    public void warn(String key, String message, Object... args) {
        long now = System.nanoTime();
        synchronized (last) {
            Long at = last.get(key);
            if (at != null && now - at < periodNanos) {
                return;
            }
            last.put(key, now);
        }
        log.warn(message, args);
    }
}
