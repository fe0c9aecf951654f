package org.outcalls.transport;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One replica's endpoint of the subnet's network. Replicas are numbered {@code [0, n)} in the
 * order of the subnet's membership list.
 */
@ProviderType
public interface Transport {
    /** Largest frame a channel carries (bytes); bigger frames are refused by {@code send}. */
    int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    /** This replica's index. */
    int self();

    /** How many replicas the subnet has. */
    int size();

    /**
     * The channel with this name ("consensus", "ingress", "outcalls", ...), created on first use.
     * Frames are delivered only to the receiver of the same channel name on the peer.
     */
    Channel channel(String name);
}
