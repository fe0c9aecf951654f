package org.outcalls.replica.byzantine;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Sees every frame a faulty replica's honest code sends, and says what goes out instead. */
@ConsumerType
@FunctionalInterface
public interface FrameTap {
    /** The peer of a broadcast. */
    int EVERYONE = -1;

    /**
     * @param peer the receiver, or {@link #EVERYONE} for a broadcast
     * @return the frames to send in its place to the same receiver (empty: drop it)
     */
    List<byte[]> outgoing(String channel, int peer, byte[] frame);
}
