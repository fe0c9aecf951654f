package org.outcalls.replica.internal.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.outcalls.replica.Diagnostics;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.Transport;

/**
 * A replica's transport that notes when a frame last arrived from each peer, on any channel: the
 * connection state the dashboard and {@code /metrics} show. Consensus sends at least one frame per
 * heartbeat, so a peer silent for a few heartbeats is not connected.
 */
public final class ObservedTransport implements Transport {
    private static final long NEVER = Long.MIN_VALUE;
    private final Transport delegate;
    private final AtomicLongArray lastHeard;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    public ObservedTransport(Transport delegate) {
        this.delegate = delegate;
        this.lastHeard = new AtomicLongArray(delegate.size());
        for (int i = 0; i < delegate.size(); i++) {
            lastHeard.set(i, NEVER);
        }
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
        return channels.computeIfAbsent(name, n -> new ObservedChannel(delegate.channel(n)));
    }

    /** Every other member: connected if it was heard within {@code silenceNanos}. */
    public List<Diagnostics.Peer> peers(long silenceNanos) {
        long now = System.nanoTime();
        List<Diagnostics.Peer> out = new ArrayList<>();
        for (int i = 0; i < lastHeard.length(); i++) {
            if (i == self()) {
                continue;
            }
            long t = lastHeard.get(i);
            long ago = t == NEVER ? -1 : (now - t) / 1_000_000;
            out.add(new Diagnostics.Peer(i, t != NEVER && now - t <= silenceNanos, ago));
        }
        return out;
    }

    private final class ObservedChannel implements Channel {
        private final Channel channel;

        ObservedChannel(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void send(int peer, byte[] frame) {
            channel.send(peer, frame);
        }

        @Override
        public void broadcast(byte[] frame) {
            channel.broadcast(frame);
        }

        @Override
        public void receiver(FrameReceiver receiver) {
            if (receiver == null) {
                channel.receiver(null); // detached (a closing engine): frames still on their way are dropped, not failed on
                return;
            }
            channel.receiver((from, frame) -> {
                if (from >= 0 && from < lastHeard.length()) {
                    lastHeard.set(from, System.nanoTime());
                }
                receiver.onFrame(from, frame);
            });
        }
    }
}
