package org.outcalls.replica.internal.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.internal.transport.ForwardingChannel;
import org.outcalls.replica.internal.transport.WrappedTransport;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.Transport;

/**
 * A replica's transport that notes when a frame last arrived from each peer, on any channel: the
 * connection state the dashboard and {@code /metrics} show. Consensus sends at least one frame per
 * heartbeat, so a peer silent for a few heartbeats is not connected.
 */
public final class ObservedTransport extends WrappedTransport {
    private static final long NEVER = Long.MIN_VALUE;
    private final AtomicLongArray lastHeard;

    public ObservedTransport(Transport delegate) {
        super(delegate);
        this.lastHeard = new AtomicLongArray(delegate.size());
        for (int i = 0; i < delegate.size(); i++) {
            lastHeard.set(i, NEVER);
        }
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

    @Override
    protected Channel wrap(String name, Channel channel) {
        return new ForwardingChannel(channel) {
            @Override
            public void receiver(FrameReceiver receiver) {
                if (receiver == null) {
                    delegate.receiver(null); // detached (a closing engine): frames still on their way are dropped, not failed on
                    return;
                }
                delegate.receiver((from, frame) -> {
                    if (from >= 0 && from < lastHeard.length()) {
                        lastHeard.set(from, System.nanoTime());
                    }
                    receiver.onFrame(from, frame);
                });
            }
        };
    }
}
