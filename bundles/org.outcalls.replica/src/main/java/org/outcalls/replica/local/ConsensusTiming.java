package org.outcalls.replica.local;

import java.time.Duration;
import java.util.Objects;

/**
 * Consensus timing of a subnet: Δ (the rank delay), the heartbeat of an idle subnet, how far a
 * block's time may run ahead of a validator's clock, and how many ancestors payload validation
 * looks at.
 */
public record ConsensusTiming(Duration rankDelay, Duration heartbeat, Duration clockTolerance, int ancestryDepth) {
    /** For replicas on one machine or a LAN. */
    public static final ConsensusTiming DEFAULT = new ConsensusTiming(Duration.ofMillis(300), Duration.ofSeconds(1),
            Duration.ofSeconds(2), 64);

    public ConsensusTiming {
        Objects.requireNonNull(rankDelay, "rankDelay");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(clockTolerance, "clockTolerance");
        if (ancestryDepth < 1) {
            throw new IllegalArgumentException("ancestryDepth: must be at least 1 (was " + ancestryDepth + ")");
        }
    }
}
