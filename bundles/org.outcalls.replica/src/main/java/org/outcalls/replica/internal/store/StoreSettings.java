package org.outcalls.replica.internal.store;

/**
 * How much is kept, and whether commits are forced to the device (power loss, not just kill -9).
 *
 * @param chunkRetentionMillis how long MVStore keeps space that a newer commit freed before reusing it
 *                             (its default, 45 s, lets a disk that lies about flushing lose no more
 *                             than that; with {@code sync} every commit is flushed and 0 is safe)
 */
public record StoreSettings(long checkpointInterval, long retainHeights, int retainCheckpoints, boolean sync,
                            int chunkRetentionMillis) {
    public static final StoreSettings DEFAULT = new StoreSettings(100, 10_000, 2, false, 45_000);

    public StoreSettings(long checkpointInterval, long retainHeights, int retainCheckpoints, boolean sync) {
        this(checkpointInterval, retainHeights, retainCheckpoints, sync, sync ? 0 : 45_000);
    }

    public StoreSettings {
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("checkpoint interval: at least 1 height");
        }
        if (retainHeights < 1) {
            throw new IllegalArgumentException("retained heights: at least 1");
        }
        if (retainCheckpoints < 1) {
            throw new IllegalArgumentException("retained checkpoints: at least 1");
        }
        if (chunkRetentionMillis < 0) {
            throw new IllegalArgumentException("chunk retention: not negative");
        }
    }
}
