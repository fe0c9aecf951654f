package org.outcalls.transport.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.transport.Backlog;
import org.outcalls.transport.Clock;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.Scheduler;
import org.outcalls.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link LiveNetwork}: a protocol thread per replica; frames wait for it in a {@link PeerInbox} per receiver. */
public final class ThreadPerReplicaNetwork implements LiveNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(LiveNetwork.class);

    private final int size;
    private final List<ScheduledThreadPoolExecutor> threads = new ArrayList<>();
    private final List<LiveTransport> transports = new ArrayList<>();
    private final LinkFaults faults;
    private final Random random;
    private final Clock clock = Clock.system();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile NetworkConditions conditions;
    private volatile boolean closed;

    public ThreadPerReplicaNetwork(int size) {
        this(size, NetworkConditions.perfect(), 0);
    }

    /**
     * @param size       number of replicas
     * @param conditions link conditions (development: delay, loss, ...)
     * @param seed       seeds the random choices the conditions need
     */
    public ThreadPerReplicaNetwork(int size, NetworkConditions conditions, long seed) {
        this(size, conditions, seed, DEFAULT_MAX_PENDING_FRAMES, DEFAULT_MAX_PENDING_BYTES);
    }

    /**
     * @param maxPendingFrames frames one sender may have waiting for one receiver, at least 1
     * @param maxPendingBytes  their bytes, at least {@link Transport#MAX_FRAME_BYTES}
     */
    public ThreadPerReplicaNetwork(int size, NetworkConditions conditions, long seed, int maxPendingFrames, long maxPendingBytes) {
        if (size < 1) {
            throw new IllegalArgumentException("size: at least 1");
        }
        if (maxPendingFrames < 1 || maxPendingBytes < Transport.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxPendingFrames: at least 1; maxPendingBytes: at least one largest frame ("
                    + Transport.MAX_FRAME_BYTES + " bytes)");
        }
        this.size = size;
        this.conditions = conditions;
        this.faults = new LinkFaults(size);
        this.random = new Random(seed);
        for (int i = 0; i < size; i++) {
            int replica = i;
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "outcalls-replica-" + replica);
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            threads.add(t);
            transports.add(new LiveTransport(i, maxPendingFrames, maxPendingBytes));
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Transport transport(int replica) {
        return transports.get(check(replica));
    }

    @Override
    public Scheduler scheduler(int replica) {
        ScheduledThreadPoolExecutor t = threads.get(check(replica));
        return new Scheduler() {
            @Override
            public void execute(Runnable task) {
                try {
                    t.execute(guard(replica, task));
                } catch (RejectedExecutionException e) {
                    // the network is closed: the replica is gone, and so is its work
                }
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                try {
                    ScheduledFuture<?> f = t.schedule(guard(replica, task), Math.max(0, delay.toNanos()),
                            TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                } catch (RejectedExecutionException e) {
                    return () -> { };
                }
            }
        };
    }

    @Override
    public Clock clock(int replica) {
        check(replica);
        return clock;
    }

    @Override
    public void conditions(NetworkConditions conditions) {
        this.conditions = conditions;
    }

    @Override
    public void crash(int replica) {
        synchronized (faults) {
            faults.crash(check(replica), true);
        }
    }

    @Override
    public void recover(int replica) {
        synchronized (faults) {
            faults.crash(check(replica), false);
        }
    }

    @Override
    public void partition(Collection<? extends Set<Integer>> groups) {
        synchronized (faults) {
            faults.partition(groups);
        }
    }

    @Override
    public void heal() {
        synchronized (faults) {
            faults.heal();
        }
    }

    @Override
    public long framesSent() {
        return framesSent.get();
    }

    @Override
    public long framesDropped() {
        return framesDropped.get();
    }

    @Override
    public Backlog backlog(int replica, int sender) {
        return transports.get(check(replica)).inbox.backlog(check(sender));
    }

    @Override
    public void close() {
        closed = true;
        for (ScheduledThreadPoolExecutor t : threads) {
            t.shutdownNow();
        }
        for (ScheduledThreadPoolExecutor t : threads) {
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Runnable guard(int replica, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("replica {}: task failed", replica, e);
            }
        };
    }

    private int check(int replica) {
        return InJvmTransport.checkReplica(replica, size);
    }

    private void transmit(int from, int to, String channel, byte[] frame) {
        if (closed) {
            return;
        }
        framesSent.incrementAndGet();
        NetworkConditions c = conditions;
        boolean connected;
        synchronized (faults) {
            connected = faults.connected(from, to);
        }
        if (!connected) {
            framesDropped.incrementAndGet();
            return;
        }
        PeerInbox inbox = transports.get(to).inbox;
        if (c.isPerfect()) {
            if (!inbox.offer(from, channel, frame)) {
                framesDropped.incrementAndGet();
            }
            return;
        }
        int copies = 1;
        long[] delays = new long[2];
        synchronized (random) {
            if (random.nextDouble() < c.loss()) {
                framesDropped.incrementAndGet();
                return;
            }
            if (c.duplication() > 0 && random.nextDouble() < c.duplication()) {
                copies = 2;
            }
            for (int i = 0; i < copies; i++) {
                delays[i] = LinkDelay.drawNanos(c, random);
            }
        }
        for (int i = 0; i < copies; i++) {
            if (!inbox.reserve(from, frame.length)) { // counted while it is on its way
                framesDropped.incrementAndGet();
                continue;
            }
            try {
                threads.get(to).schedule(() -> inbox.enqueue(from, channel, frame, frame.length), delays[i],
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    private final class LiveTransport extends InJvmTransport {
        private final PeerInbox inbox;

        LiveTransport(int self, int maxPendingFrames, long maxPendingBytes) {
            super(self, size);
            this.inbox = new PeerInbox(size, maxPendingFrames, maxPendingBytes, scheduler(self), this::deliver, peer -> {
            });
        }

        @Override
        void transmit(int peer, String channel, byte[] frame) {
            ThreadPerReplicaNetwork.this.transmit(self(), peer, channel, frame);
        }

        /** On this replica's thread, from its inbox. */
        void deliver(int from, String channel, byte[] frame) {
            boolean connected;
            synchronized (faults) {
                connected = faults.connected(from, self());
            }
            if (!connected) {
                framesDropped.incrementAndGet();
                return;
            }
            FrameReceiver r = receiver(channel);
            if (r != null) {
                try {
                    r.onFrame(from, frame);
                } catch (RuntimeException e) {
                    LOG.warn("replica {}: receiver of channel {} failed on a frame from {}", self(), channel, from, e);
                }
            }
        }
    }
}
