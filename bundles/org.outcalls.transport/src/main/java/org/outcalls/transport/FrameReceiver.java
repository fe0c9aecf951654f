package org.outcalls.transport;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the frames of one channel. */
@ConsumerType
@FunctionalInterface
public interface FrameReceiver {
    /**
     * One frame from {@code fromPeer}. The array belongs to the receiver but may be shared with
     * other receivers of the same broadcast: never modify it. Exceptions are logged and dropped.
     */
    void onFrame(int fromPeer, byte[] frame);
}
