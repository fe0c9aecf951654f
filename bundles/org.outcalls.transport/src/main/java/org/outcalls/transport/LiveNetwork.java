package org.outcalls.transport;

import java.util.Collection;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An in-JVM network of {@code size} replicas in real time, for {@code outcalls run}: each replica
 * has its own protocol thread (a single-threaded scheduler) on which its tasks and its channels'
 * receivers run; a frame sent by one replica is handed to the receiver's thread, never run on the
 * sender's. The same seeded fault knobs as the simulated network are available for development
 * (delay, loss, duplication, reordering, partitions, crashes); by default the network is perfect.
 *
 * <p>Frames wait for the receiver in its inbox: per sender at most
 * {@link #DEFAULT_MAX_PENDING_FRAMES} frames and {@link #DEFAULT_MAX_PENDING_BYTES} bytes (delayed
 * frames included), taken in turn with the other senders'. A sender cannot be paused here (its
 * thread must never wait for another replica's), so a frame that does not fit is dropped and
 * counted, as a lossy link would: the protocols retransmit (consensus every retransmission
 * period, outcall shares every few seconds, content requests every half second).
 * Thread-safe.
 */
@ProviderType
public interface LiveNetwork extends AutoCloseable {
    /** Frames one sender may have waiting for one receiver. */
    int DEFAULT_MAX_PENDING_FRAMES = 8192;
    /** Bytes one sender may have waiting for one receiver: four of the largest frames. */
    long DEFAULT_MAX_PENDING_BYTES = 32L << 20;

    int size();

    Transport transport(int replica);

    Scheduler scheduler(int replica);

    Clock clock(int replica);

    void conditions(NetworkConditions conditions);

    /** Development: the replica's links go down (its threads keep running; it hears and says nothing). */
    void crash(int replica);

    void recover(int replica);

    void partition(Collection<? extends Set<Integer>> groups);

    void heal();

    long framesSent();

    long framesDropped();

    /** What {@code sender} has sent {@code replica} that waits for the replica's thread; {@code refused}: dropped. */
    Backlog backlog(int replica, int sender);

    /** Stops every replica thread; queued tasks and frames are discarded. */
    @Override
    void close();
}
