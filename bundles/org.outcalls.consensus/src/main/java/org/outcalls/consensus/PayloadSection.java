package org.outcalls.consensus;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One named section of a block's payload ("ingress", "outcalls", ...): builds it when this replica
 * makes a block and validates it in every block. Called on the replica's protocol thread;
 * {@link #hasWork()} and {@link #build} may read local pools, {@link #validate} must be
 * deterministic: it may use only the payload, the context and its ancestors' payloads — never
 * local state, clocks or files — because every replica must reach the same verdict.
 */
@ConsumerType
public interface PayloadSection {
    /** The section's name: 1..64 characters of {@code [a-z0-9._-]}, unique within a subnet. */
    String name();

    /** Whether there is something to include now (a maker then proposes without waiting for the heartbeat). */
    boolean hasWork();

    /** The payload for a block being made, at most {@code context.maxBytes()} bytes; empty for none. */
    byte[] build(PayloadContext context);

    /** Throws if {@code payload} is not a valid payload for this section in the given context. */
    void validate(PayloadContext context, byte[] payload) throws InvalidPayloadException;
}
