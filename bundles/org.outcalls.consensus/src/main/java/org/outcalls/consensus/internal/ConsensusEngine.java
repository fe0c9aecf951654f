package org.outcalls.consensus.internal;

import java.util.List;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.ConsensusListener;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.outcalls.transport.Scheduler;

/** The protocol state machine of one replica (stub while the API settles). */
public final class ConsensusEngine {
    public ConsensusEngine(ConsensusConfig config, Channel channel, List<PayloadSection> sections,
            ConsensusListener listener, Clock clock, Scheduler scheduler) {
    }

    public void start() {
    }

    public void workAvailable() {
    }

    public long finalizedHeight() {
        return 0;
    }

    public Hash finalizedHash(long height) {
        return null;
    }

    public long notarizedHeight() {
        return 0;
    }

    public void stop() {
    }
}
