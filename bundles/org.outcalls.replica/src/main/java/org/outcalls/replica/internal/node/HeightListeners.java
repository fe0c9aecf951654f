package org.outcalls.replica.internal.node;

import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Callbacks run after each executed height; a failing listener is logged and the others still run. */
public final class HeightListeners {
    private static final Logger LOG = LoggerFactory.getLogger(HeightListeners.class);
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    public AutoCloseable add(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void fire() {
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("height listener failed", e);
            }
        }
    }
}
