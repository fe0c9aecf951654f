package org.outcalls.transport;

/**
 * What one peer has sent a replica that its protocol thread has not handled yet, as the transport
 * counts it (frames being read count from their header on).
 *
 * @param frames    frames waiting now
 * @param bytes     their bytes now
 * @param peakBytes the most bytes that ever waited at once
 * @param refused   times a frame did not fit (over TCP: reading that peer paused; in one JVM: the frame dropped)
 */
public record Backlog(int frames, long bytes, long peakBytes, long refused) {
    public static final Backlog NONE = new Backlog(0, 0, 0, 0);
}
