package org.outcalls.transport.internal.tcp;

/** Hands a received channel frame to the replica; {@code done} runs once the receiver has had it. */
@FunctionalInterface
public interface Receivers {
    void deliver(int peer, String channel, byte[] frame, Runnable done);
}
