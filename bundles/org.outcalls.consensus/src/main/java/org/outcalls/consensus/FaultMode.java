package org.outcalls.consensus;

/**
 * How a replica misbehaves, for development and tests only ({@code outcalls run --faulty K
 * --fault MODE}). Honest replicas use {@link #NONE}.
 */
public enum FaultMode {
    /** Follows the protocol. */
    NONE,
    /** Does nothing at all: sends nothing, makes no blocks, ignores what it receives. */
    CRASH,
    /** Runs the protocol and follows the chain but withholds everything: sends no frame. */
    SILENT,
    /**
     * As block maker proposes two different blocks at once (to different halves of the subnet),
     * regardless of its rank delay; notarization-shares every valid block it sees and
     * finalization-shares every notarized block, however many there are at a height.
     */
    EQUIVOCATE,
    /**
     * Sends garbage: frames that do not decode, blocks and shares with invalid signatures or
     * signed by the wrong key, shares for hashes of blocks that do not exist, blocks with a wrong
     * rank, parent, time or payload, and aggregates with forged signatures.
     */
    FORGE;

    /** Parses {@code crash}, {@code silent}, {@code equivocate}, {@code forge} or {@code none} (any case). */
    public static FaultMode parse(String s) {
        for (FaultMode m : values()) {
            if (m.name().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("fault mode: must be one of none, crash, silent, equivocate, forge; got " + s);
    }
}
