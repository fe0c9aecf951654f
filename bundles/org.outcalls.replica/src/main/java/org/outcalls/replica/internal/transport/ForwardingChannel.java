package org.outcalls.replica.internal.transport;

import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;

/** A channel that passes everything to another; a wrapper overrides what it changes. */
public class ForwardingChannel implements Channel {
    protected final Channel delegate;

    public ForwardingChannel(Channel delegate) {
        this.delegate = delegate;
    }

    @Override
    public void send(int peer, byte[] frame) {
        delegate.send(peer, frame);
    }

    @Override
    public void broadcast(byte[] frame) {
        delegate.broadcast(frame);
    }

    @Override
    public void receiver(FrameReceiver receiver) {
        delegate.receiver(receiver);
    }
}
