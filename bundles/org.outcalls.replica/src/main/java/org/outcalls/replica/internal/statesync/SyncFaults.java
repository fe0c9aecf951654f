package org.outcalls.replica.internal.statesync;

/**
 * Fault injection for tests of state sync, like the store's crash points: with the system property
 * {@code outcalls.fault.corruptStateChunks=true} a replica serves every checkpoint chunk with one
 * byte flipped (what a lying or broken peer does). Never set in production.
 */
public record SyncFaults(boolean corruptChunks) {
    public static final SyncFaults NONE = new SyncFaults(false);

    public static SyncFaults fromSystemProperties() {
        return new SyncFaults(Boolean.getBoolean("outcalls.fault.corruptStateChunks"));
    }

    byte[] servedChunk(byte[] chunk) {
        if (corruptChunks && chunk.length > 0) {
            chunk[chunk.length / 2] ^= 0x5a;
        }
        return chunk;
    }
}
