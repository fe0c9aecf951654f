package org.outcalls.transport.internal;

import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.Transport;

/**
 * A channel of replica {@code self} among replicas {@code 0..size-1}: checks what is sent and
 * leaves moving the frame to the network. Shared by the simulated and the live in-JVM networks.
 */
public abstract class NumberedChannel implements Channel {
    protected final int self;
    protected final String name;
    private final int size;
    private volatile FrameReceiver receiver;

    protected NumberedChannel(int self, String name, int size) {
        this.self = self;
        this.name = name;
        this.size = size;
    }

    /** Moves a checked frame to another replica. */
    protected abstract void transmit(int peer, byte[] frame);

    @Override
    public void send(int peer, byte[] frame) {
        InJvmTransport.checkReplica(peer, size);
        if (frame.length > Transport.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("frame: " + frame.length + " bytes, at most " + Transport.MAX_FRAME_BYTES);
        }
        if (peer != self) {
            transmit(peer, frame);
        }
    }

    @Override
    public void broadcast(byte[] frame) {
        for (int peer = 0; peer < size; peer++) {
            if (peer != self) {
                send(peer, frame);
            }
        }
    }

    @Override
    public void receiver(FrameReceiver receiver) {
        this.receiver = receiver;
    }

    /** The receiver set last, or null. */
    public FrameReceiver receiver() {
        return receiver;
    }
}
