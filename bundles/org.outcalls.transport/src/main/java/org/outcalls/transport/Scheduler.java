package org.outcalls.transport;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs a replica's protocol tasks, one at a time, on the replica's protocol thread (under the
 * simulated network: the single simulation thread, in virtual time). Tasks and frame receivers of
 * one replica never run concurrently. {@code execute} and {@code schedule} may be called from any
 * thread.
 */
@ProviderType
public interface Scheduler {
    /** A scheduled task that can be cancelled. */
    @ProviderType
    interface Cancellable {
        /** Prevents the task from running if it has not started; idempotent. */
        void cancel();
    }

    /** Runs {@code task} on the protocol thread as soon as possible (after already queued work). */
    void execute(Runnable task);

    /** Runs {@code task} on the protocol thread after {@code delay} (zero or negative: as soon as possible). */
    Cancellable schedule(Duration delay, Runnable task);
}
