package org.outcalls.consensus;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a replica keeps what consensus must not forget across a restart (kill -9 included): what it
 * signed above its finalized height, so that it never contradicts itself, and the finalized chain
 * with its evidence, so that it resumes where it stopped and serves peers that are further behind
 * than the blocks kept in memory. Called on the replica's protocol thread only.
 */
@ConsumerType
public interface ConsensusStore {
    /** The newest finalized heights kept, at most {@code count}, oldest first; empty for a new replica. */
    List<ArchivedHeight> newest(int count);

    /** This replica's own signed frames kept for heights above {@code height}, in the order they were signed. */
    List<byte[]> signedAbove(long height);

    /**
     * An own proposal or share at {@code height}, before it is sent: it must be durable when this
     * returns. If it throws, the artifact is not sent.
     */
    void signed(long height, byte[] frame);

    /** Each finalized height, in height order, before the listener executes it. */
    void finalized(ArchivedHeight height);

    /** A kept finalized height (for a peer that is behind), or null if it was pruned or never kept. */
    ArchivedHeight archived(long height);
}
