package org.outcalls.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A named stream of frames between the replicas of a subnet. Best effort: a frame may be lost,
 * duplicated, delayed or reordered (the simulated network does all of these on purpose), so
 * protocols retransmit what matters. Frames are never corrupted or attributed to the wrong
 * sender: the transport authenticates peers (in the JVM by construction, between hosts by mutual
 * TLS with node certificates).
 *
 * <p>Receivers run on the receiving replica's protocol thread (the one its {@link Scheduler}
 * runs tasks on), never on the sender's thread, so protocol code needs no locks.
 */
@ProviderType
public interface Channel {
    /**
     * Sends a frame to one peer. The frame must not be modified afterwards.
     *
     * @throws IllegalArgumentException if the frame exceeds {@link Transport#MAX_FRAME_BYTES} or the
     *                                  peer index is out of range
     */
    void send(int peer, byte[] frame);

    /** Sends a frame to every other replica. */
    void broadcast(byte[] frame);

    /** Sets the receiver of this channel's frames (replacing any previous one). */
    void receiver(FrameReceiver receiver);
}
