package org.outcalls.transport;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An in-JVM network of {@code size} replicas in virtual time, driven by one discrete-event
 * scheduler on the calling thread. Every random choice (per-frame delay, loss, duplication,
 * reordering) comes from one {@link Random} seeded at construction and every event is ordered by
 * (virtual time, sequence number), so the same seed and the same protocol code replay exactly the
 * same run. Replicas can be crashed and recovered, the network partitioned and healed, clocks
 * skewed, and conditions changed at any point of a run.
 *
 * <p>A crashed replica sends and receives nothing, and its timers do not fire; when it recovers,
 * the timers that came due meanwhile run at once (as a process that was paused resumes).
 * Not thread-safe: use it from one thread, which is the protocol thread of every replica.
 */
@ProviderType
public interface SimulatedNetwork {
    int size();

    long seed();

    /** The run's random source, for test decisions that must replay with the seed. */
    Random random();

    /** Virtual time now, nanoseconds since the Unix epoch. */
    long now();

    Transport transport(int replica);

    /** The protocol thread of {@code replica}: tasks run in virtual time and not while it is crashed. */
    Scheduler scheduler(int replica);

    /** {@code replica}'s clock: virtual time plus its skew. */
    Clock clock(int replica);

    /** Sets how far {@code replica}'s clock is ahead (negative: behind) of virtual time. */
    void clockSkew(int replica, Duration skew);

    NetworkConditions conditions();

    void conditions(NetworkConditions conditions);

    void crash(int replica);

    /** Brings a crashed replica back; its timers that came due meanwhile run now, in order. */
    void recover(int replica);

    boolean crashed(int replica);

    /** Splits the network: replicas in different groups cannot reach each other (those in no group form one more group). */
    void partition(Collection<? extends Set<Integer>> groups);

    void heal();

    /** Partition groups now, for messages. */
    List<List<Integer>> partitionGroups();

    /**
     * Runs events until {@code done} is true (checked after each event) or virtual time passes
     * {@code now + limit} or the queue is empty. Returns whether {@code done} became true.
     * Throws the first exception a task or receiver threw.
     */
    boolean runUntil(BooleanSupplier done, Duration limit);

    /** Runs every event due within the next {@code duration} of virtual time. */
    void runFor(Duration duration);

    /** Tasks and frame deliveries run so far. */
    long eventsRun();

    long framesSent();

    long framesDelivered();

    long framesDropped();

    /** Events waiting (timers and frames in flight). */
    int pending();
}
