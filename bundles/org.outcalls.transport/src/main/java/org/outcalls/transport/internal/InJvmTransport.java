package org.outcalls.transport.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.Transport;

/**
 * Replica {@code self}'s end of an in-JVM network: its channels by name, whose checked frames the
 * network moves. Shared by the simulated and the live network, so both treat channels and replica
 * numbers alike.
 */
abstract class InJvmTransport implements Transport {
    private final int self;
    private final int size;
    private final Map<String, NumberedChannel> channels = new ConcurrentHashMap<>();

    InJvmTransport(int self, int size) {
        this.self = self;
        this.size = size;
    }

    /** Moves a checked frame of {@code channel} from this replica to {@code peer}. */
    abstract void transmit(int peer, String channel, byte[] frame);

    @Override
    public final int self() {
        return self;
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final Channel channel(String name) {
        return channels.computeIfAbsent(name, n -> new NumberedChannel(self, n, size) {
            @Override
            protected void transmit(int peer, byte[] frame) {
                InJvmTransport.this.transmit(peer, n, frame);
            }
        });
    }

    /** The receiver set last on {@code channel} of this replica, or null (no such channel, or none set). */
    final FrameReceiver receiver(String channel) {
        NumberedChannel c = channels.get(channel);
        return c == null ? null : c.receiver();
    }

    /** {@code replica}, when it numbers one of {@code size} replicas. */
    static int checkReplica(int replica, int size) {
        if (replica < 0 || replica >= size) {
            throw new IllegalArgumentException("replica: must be 0.." + (size - 1) + ", got " + replica);
        }
        return replica;
    }
}
