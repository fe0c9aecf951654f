package org.outcalls.consensus.internal.byzantine;

import org.outcalls.consensus.internal.Honest;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;

/** {@link org.outcalls.consensus.FaultMode#SILENT}: runs the protocol and follows the chain, but no frame leaves it. */
final class Silent extends Honest {
    @Override
    public Channel outgoing(Channel channel) {
        return new SilentChannel();
    }

    /** Sends nothing. */
    private static final class SilentChannel implements Channel {
        @Override
        public void send(int peer, byte[] frame) {
        }

        @Override
        public void broadcast(byte[] frame) {
        }

        @Override
        public void receiver(FrameReceiver receiver) {
        }
    }
}
