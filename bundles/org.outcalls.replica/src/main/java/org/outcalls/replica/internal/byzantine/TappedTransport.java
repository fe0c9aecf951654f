package org.outcalls.replica.internal.byzantine;

import org.outcalls.replica.byzantine.FrameTap;
import org.outcalls.replica.internal.transport.ForwardingChannel;
import org.outcalls.replica.internal.transport.WrappedTransport;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Transport;

/** A faulty replica's transport as its honest code sees it: sends pass the adversary's tap, receiving is untouched. */
final class TappedTransport extends WrappedTransport {
    private final ScriptedAdversary adversary;

    TappedTransport(Transport delegate, ScriptedAdversary adversary) {
        super(delegate);
        this.adversary = adversary;
    }

    @Override
    protected Channel wrap(String name, Channel channel) {
        return new ForwardingChannel(channel) {
            @Override
            public void send(int peer, byte[] frame) {
                for (byte[] f : adversary.outgoing(name, peer, frame)) {
                    delegate.send(peer, f);
                }
            }

            @Override
            public void broadcast(byte[] frame) {
                for (byte[] f : adversary.outgoing(name, FrameTap.EVERYONE, frame)) {
                    delegate.broadcast(f);
                }
            }
        };
    }
}
