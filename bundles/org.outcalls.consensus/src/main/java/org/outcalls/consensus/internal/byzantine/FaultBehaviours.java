package org.outcalls.consensus.internal.byzantine;

import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.internal.Behaviour;
import org.outcalls.consensus.internal.Honest;
import org.outcalls.consensus.internal.Ranking;

/** The behaviour of a replica in each {@link FaultMode}; the one place that reads the fault mode. */
public final class FaultBehaviours {
    private FaultBehaviours() {
    }

    public static Behaviour of(ConsensusConfig config, Ranking ranking) {
        return switch (config.faultMode()) {
            case NONE -> new Honest();
            case CRASH -> new Crash();
            case SILENT -> new Silent();
            case EQUIVOCATE -> new Equivocate(config.n(), config.self());
            case FORGE -> new Forge(new Forger(config, ranking));
        };
    }
}
