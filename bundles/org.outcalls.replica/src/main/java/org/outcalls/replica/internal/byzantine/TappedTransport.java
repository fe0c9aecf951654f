package org.outcalls.replica.internal.byzantine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.outcalls.replica.byzantine.FrameTap;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.Transport;

/** A faulty replica's transport as its honest code sees it: sends pass the adversary's tap, receiving is untouched. */
final class TappedTransport implements Transport {
    private final Transport delegate;
    private final ScriptedAdversary adversary;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    TappedTransport(Transport delegate, ScriptedAdversary adversary) {
        this.delegate = delegate;
        this.adversary = adversary;
    }

    @Override
    public int self() {
        return delegate.self();
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public Channel channel(String name) {
        return channels.computeIfAbsent(name, n -> new TappedChannel(n, delegate.channel(n)));
    }

    private final class TappedChannel implements Channel {
        private final String name;
        private final Channel delegate;

        TappedChannel(String name, Channel delegate) {
            this.name = name;
            this.delegate = delegate;
        }

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

        @Override
        public void receiver(FrameReceiver receiver) {
            delegate.receiver(receiver);
        }
    }
}
