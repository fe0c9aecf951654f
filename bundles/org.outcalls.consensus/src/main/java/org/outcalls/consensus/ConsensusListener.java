package org.outcalls.consensus;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the finalized chain. */
@ConsumerType
@FunctionalInterface
public interface ConsensusListener {
    /** Called in height order, exactly once per height, on the replica's protocol thread. */
    void onFinalized(FinalizedBlock block);
}
