package org.outcalls.transport.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.outcalls.transport.Backlog;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames a replica has received from its peers and not yet handed to its receivers: one
 * bounded lane per peer (frames and bytes, however many connections they came by) and at most one
 * drain task at a time on the protocol thread, which takes one frame from each lane in turn.
 *
 * <p>Peer frames therefore never queue on the protocol thread's executor one task each: that
 * queue holds only the replica's own work (timers, internal tasks), which is never refused. A
 * flooding peer fills its own lane and no other; the others keep their turns. When a lane is full
 * the frame is refused and the caller decides: the TCP transport stops reading that peer until
 * {@code roomAgain} says the lane has drained to half, the in-JVM network drops and counts it.
 *
 * <p>Room can be reserved before the frame exists ({@link #reserve}), so a frame is counted from
 * the moment its reading (or its simulated delay) starts. Thread-safe.
 */
public final class PeerInbox {
    private static final Logger LOG = LoggerFactory.getLogger(PeerInbox.class);
    /** Frames handled per drain task before the protocol thread's own work gets a turn. */
    static final int DRAIN_BATCH = 32;

    /** Hands a frame to its channel's receiver, on the protocol thread. */
    @FunctionalInterface
    public interface Delivery {
        void deliver(int peer, String channel, byte[] frame);
    }

    private record Item(String channel, byte[] frame, long reserved) {
    }

    private static final class Lane {
        final ArrayDeque<Item> items = new ArrayDeque<>();
        int frames;
        long bytes;
        long peakBytes;
        long refused;
        /** A frame was refused since the lane last had room: say so when it has. */
        boolean starved;
    }

    private final Lane[] lanes;
    private final int maxFrames;
    private final long maxBytes;
    private final Scheduler protocol;
    private final Delivery delivery;
    private final IntConsumer roomAgain;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    /** The lane whose turn is next; protocol thread only. */
    private int turn;

    /**
     * @param peers     lanes, one per peer index
     * @param maxFrames frames one peer may have waiting, at least 1
     * @param maxBytes  bytes one peer may have waiting, at least one largest frame
     * @param roomAgain told (on the protocol thread) that a peer's lane, after refusing a frame, drained to half
     */
    public PeerInbox(int peers, int maxFrames, long maxBytes, Scheduler protocol, Delivery delivery, IntConsumer roomAgain) {
        if (maxFrames < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxFrames and maxBytes: at least 1");
        }
        this.lanes = new Lane[peers];
        for (int i = 0; i < peers; i++) {
            lanes[i] = new Lane();
        }
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.protocol = protocol;
        this.delivery = delivery;
        this.roomAgain = roomAgain;
    }

    /** Queues a frame for the protocol thread; false (counted) if the peer's lane has no room for it. */
    public boolean offer(int peer, String channel, byte[] frame) {
        if (!reserve(peer, frame.length)) {
            return false;
        }
        enqueue(peer, channel, frame, frame.length);
        return true;
    }

    /** Counts a frame of {@code bytes} that is still on its way; false (counted) if the lane has no room for it. */
    public boolean reserve(int peer, long bytes) {
        Lane l = lanes[peer];
        synchronized (l) {
            if (l.frames + 1 > maxFrames || l.bytes + bytes > maxBytes) {
                l.refused++;
                l.starved = true;
                return false;
            }
            l.frames++;
            l.bytes += bytes;
            l.peakBytes = Math.max(l.peakBytes, l.bytes);
            return true;
        }
    }

    /** Queues a frame whose room was reserved ({@code reserved} bytes, given back once it is handled). */
    public void enqueue(int peer, String channel, byte[] frame, long reserved) {
        Lane l = lanes[peer];
        synchronized (l) {
            l.items.addLast(new Item(channel, frame, reserved));
        }
        if (drainQueued.compareAndSet(false, true)) {
            protocol.execute(this::drain);
        }
    }

    /** Gives back a reservation that will not become a frame (a record that was not data, a closed connection). */
    public void release(int peer, long reserved) {
        Lane l = lanes[peer];
        boolean room;
        synchronized (l) {
            l.frames--;
            l.bytes -= reserved;
            room = l.starved && l.frames <= maxFrames / 2 && l.bytes <= maxBytes / 2;
            if (room) {
                l.starved = false;
            }
        }
        if (room) {
            roomAgain.accept(peer);
        }
    }

    public Backlog backlog(int peer) {
        Lane l = lanes[peer];
        synchronized (l) {
            return new Backlog(l.frames, l.bytes, l.peakBytes, l.refused);
        }
    }

    private void drain() {
        drainQueued.set(false);
        for (int handled = 0; handled < DRAIN_BATCH; handled++) {
            if (!deliverNext()) {
                return;
            }
        }
        // More may wait: let the protocol thread's own work (timers) run before the next batch.
        if (drainQueued.compareAndSet(false, true)) {
            protocol.execute(this::drain);
        }
    }

    /** Delivers the next frame, taking the lanes in turn; false if none waits. */
    private boolean deliverNext() {
        for (int k = 0; k < lanes.length; k++) {
            int peer = (turn + k) % lanes.length;
            Item item;
            synchronized (lanes[peer]) {
                item = lanes[peer].items.pollFirst();
            }
            if (item != null) {
                turn = (peer + 1) % lanes.length;
                try {
                    delivery.deliver(peer, item.channel(), item.frame());
                } catch (RuntimeException e) {
                    LOG.warn("the receiver of channel {} failed on a frame from {}", item.channel(), peer, e);
                } finally {
                    release(peer, item.reserved());
                }
                return true;
            }
        }
        return false;
    }
}
