package org.outcalls.consensus;

/**
 * Counters of one replica's consensus, for status pages, metrics and tests.
 *
 * @param finalizedHeight   newest finalized height
 * @param notarizedHeight   newest notarized height
 * @param blocksProposed    blocks this replica proposed
 * @param equivocations     (maker, height) pairs where this replica saw two valid blocks of one maker
 * @param invalidArtifacts  artifacts from peers that failed validation (bad signature, rank, payload, ...)
 * @param undecodableFrames frames from peers that did not decode
 * @param retransmissions   times this replica repeated its artifacts because finalization stalled
 * @param catchUpsServed    catch-up responses sent to peers that were behind
 * @param blocksRequested   requests for notarized blocks this replica lacked
 * @param servingRefused    peers' block requests and catch-up frames not answered: over the peer's serving budget, or
 *                          the same request again within the replay window
 */
public record ConsensusMetrics(long finalizedHeight, long notarizedHeight, long blocksProposed, long equivocations,
        long invalidArtifacts, long undecodableFrames, long retransmissions, long catchUpsServed, long blocksRequested,
        long servingRefused) {
    /** Without {@code servingRefused} (0). */
    public ConsensusMetrics(long finalizedHeight, long notarizedHeight, long blocksProposed, long equivocations,
            long invalidArtifacts, long undecodableFrames, long retransmissions, long catchUpsServed,
            long blocksRequested) {
        this(finalizedHeight, notarizedHeight, blocksProposed, equivocations, invalidArtifacts, undecodableFrames,
                retransmissions, catchUpsServed, blocksRequested, 0);
    }
}
