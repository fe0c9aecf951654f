package org.outcalls.replica.internal.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test hook: halts the JVM at a named point, as {@code kill -9} would, so tests can prove that
 * a restart recovers from exactly there. Armed by the system property
 * {@code outcalls.crashpoint=NAME[:N]} (the N-th time the point is reached, default the first);
 * does nothing otherwise.
 */
public final class CrashPoints {
    /** Part of a checkpoint is committed, its completion record is not. */
    public static final String CHECKPOINT = "checkpoint";
    /** A finalized block is committed to the store and not yet executed. */
    public static final String BLOCK = "block";
    /** A finalized block is written to the store's memory and not yet committed. */
    public static final String BLOCK_UNCOMMITTED = "block-uncommitted";

    /** An older store format is migrated in memory and not yet committed. */
    public static final String MIGRATION = "store-migration";

    private static final String ARMED = System.getProperty("outcalls.crashpoint", "");
    private static final AtomicInteger SEEN = new AtomicInteger();

    private CrashPoints() {
    }

    public static void reached(String name) {
        if (ARMED.isEmpty()) {
            return;
        }
        int colon = ARMED.indexOf(':');
        String armed = colon < 0 ? ARMED : ARMED.substring(0, colon);
        int nth = colon < 0 ? 1 : Integer.parseInt(ARMED.substring(colon + 1));
        if (armed.equals(name) && SEEN.incrementAndGet() == nth) {
            System.err.println("outcalls: crash point '" + name + "' reached: halting as kill -9 would");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
