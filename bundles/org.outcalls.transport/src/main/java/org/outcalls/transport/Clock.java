package org.outcalls.transport;

import org.osgi.annotation.versioning.ConsumerType;

/** A replica's view of wall-clock time; virtual in the simulated network. */
@ConsumerType
@FunctionalInterface
public interface Clock {
    /** Nanoseconds since the Unix epoch. Not necessarily monotonic (real clocks get adjusted). */
    long nanos();

    /** The system clock (microsecond resolution on most platforms). */
    static Clock system() {
        return () -> {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
