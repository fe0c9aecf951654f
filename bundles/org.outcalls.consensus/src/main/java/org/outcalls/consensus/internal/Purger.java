package org.outcalls.consensus.internal;

/**
 * What is dropped when finalization moves (the IC's purger): the heights at and below the
 * finalized one, the pool's artifacts there, and the validator's memory of them. The finalized
 * chain keeps its own tail ({@link ChainStore}).
 */
final class Purger {
    private final ConsensusState state;
    private final Validator validator;

    Purger(ConsensusState state, Validator validator) {
        this.state = state;
        this.validator = validator;
    }

    /** Drops everything at or below the finalized height. */
    void purge() {
        long fin = state.finalizedHeight();
        state.heights.headMap(fin, true).clear();
        state.pool.purgeBelow(fin + 1);
        state.committees.purge(fin - 1);
        validator.forgetPurged();
    }
}
