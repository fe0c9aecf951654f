package org.outcalls.transport.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.outcalls.transport.Clock;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.Scheduler;
import org.outcalls.transport.SimulatedNetwork;
import org.outcalls.transport.Transport;

/** {@link SimulatedNetwork}: one queue of events in virtual time, run on the caller's thread. */
public final class DiscreteEventNetwork implements SimulatedNetwork {
    private final int size;
    private final long seed;
    private final Random random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final LinkFaults faults;
    private final long[] skew;
    private final List<List<Event>> parked = new ArrayList<>();
    private final List<SimTransport> transports = new ArrayList<>();
    private NetworkConditions conditions;
    private long now;
    private long seq;
    private long eventsRun;
    private long framesSent;
    private long framesDelivered;
    private long framesDropped;
    private RuntimeException failure;

    /**
     * @param size       number of replicas
     * @param seed       seeds every random choice of the run
     * @param conditions initial link conditions
     * @param startNanos virtual wall-clock time at the start (nanoseconds since the Unix epoch)
     */
    public DiscreteEventNetwork(int size, long seed, NetworkConditions conditions, long startNanos) {
        if (size < 1) {
            throw new IllegalArgumentException("size: at least 1");
        }
        this.size = size;
        this.seed = seed;
        this.random = new Random(seed);
        this.conditions = conditions;
        this.faults = new LinkFaults(size);
        this.skew = new long[size];
        this.now = startNanos;
        for (int i = 0; i < size; i++) {
            parked.add(new ArrayList<>());
            transports.add(new SimTransport(i));
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public Transport transport(int replica) {
        return transports.get(check(replica));
    }

    @Override
    public Scheduler scheduler(int replica) {
        check(replica);
        return new Scheduler() {
            @Override
            public void execute(Runnable task) {
                push(new Event(now, replica, task));
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                Event e = new Event(now + Math.max(0, delay.toNanos()), replica, task);
                push(e);
                return () -> e.cancelled = true;
            }
        };
    }

    @Override
    public Clock clock(int replica) {
        check(replica);
        return () -> now + skew[replica];
    }

    @Override
    public void clockSkew(int replica, Duration skew) {
        this.skew[check(replica)] = skew.toNanos();
    }

    @Override
    public NetworkConditions conditions() {
        return conditions;
    }

    @Override
    public void conditions(NetworkConditions conditions) {
        this.conditions = conditions;
    }

    @Override
    public void crash(int replica) {
        faults.crash(check(replica), true);
    }

    @Override
    public void recover(int replica) {
        faults.crash(check(replica), false);
        for (Event e : parked.get(replica)) {
            e.time = Math.max(e.time, now);
            push(e);
        }
        parked.get(replica).clear();
    }

    @Override
    public boolean crashed(int replica) {
        return faults.crashed(check(replica));
    }

    @Override
    public void partition(Collection<? extends Set<Integer>> groups) {
        faults.partition(groups);
    }

    @Override
    public void heal() {
        faults.heal();
    }

    @Override
    public List<List<Integer>> partitionGroups() {
        return faults.describe();
    }

    @Override
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        long end = now + limit.toNanos();
        if (done.getAsBoolean()) {
            return true;
        }
        while (!queue.isEmpty()) {
            Event e = queue.peek();
            if (e.time > end) {
                break;
            }
            queue.poll();
            runEvent(e);
            if (done.getAsBoolean()) {
                return true;
            }
        }
        now = Math.max(now, end);
        return done.getAsBoolean();
    }

    @Override
    public void runFor(Duration duration) {
        runUntil(() -> false, duration);
    }

    private void runEvent(Event e) {
        if (e.cancelled) {
            return;
        }
        now = Math.max(now, e.time);
        if (e.replica >= 0 && faults.crashed(e.replica)) {
            if (e.frame) {
                framesDropped++;
            } else {
                parked.get(e.replica).add(e);
            }
            return;
        }
        eventsRun++;
        try {
            e.task.run();
        } catch (RuntimeException | Error ex) {
            if (failure == null) {
                failure = new IllegalStateException("replica " + e.replica + " failed at virtual time " + now
                        + " (seed " + seed + "): " + ex, ex);
            }
            throw failure;
        }
    }

    private void push(Event e) {
        e.seq = seq++;
        queue.add(e);
    }

    @Override
    public long eventsRun() {
        return eventsRun;
    }

    @Override
    public long framesSent() {
        return framesSent;
    }

    @Override
    public long framesDelivered() {
        return framesDelivered;
    }

    @Override
    public long framesDropped() {
        return framesDropped;
    }

    @Override
    public int pending() {
        return queue.size();
    }

    private int check(int replica) {
        return InJvmTransport.checkReplica(replica, size);
    }

    private void transmit(int from, int to, String channel, byte[] frame) {
        framesSent++;
        if (!faults.connected(from, to) || random.nextDouble() < conditions.loss()) {
            framesDropped++;
            return;
        }
        deliverLater(from, to, channel, frame);
        if (conditions.duplication() > 0 && random.nextDouble() < conditions.duplication()) {
            deliverLater(from, to, channel, frame);
        }
    }

    private void deliverLater(int from, int to, String channel, byte[] frame) {
        long delay = LinkDelay.drawNanos(conditions, random);
        Event e = new Event(now + delay, to, () -> {
            if (!faults.connected(from, to)) {
                framesDropped++;
                return;
            }
            framesDelivered++;
            transports.get(to).deliver(from, channel, frame);
        });
        e.frame = true;
        push(e);
    }

    private static final class Event implements Comparable<Event> {
        long time;
        long seq;
        final int replica;
        final Runnable task;
        boolean cancelled;
        boolean frame;

        Event(long time, int replica, Runnable task) {
            this.time = time;
            this.replica = replica;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final class SimTransport extends InJvmTransport {
        SimTransport(int self) {
            super(self, size);
        }

        @Override
        void transmit(int peer, String channel, byte[] frame) {
            DiscreteEventNetwork.this.transmit(self(), peer, channel, frame);
        }

        void deliver(int from, String channel, byte[] frame) {
            FrameReceiver r = receiver(channel);
            if (r != null) {
                r.onFrame(from, frame);
            }
        }
    }
}
