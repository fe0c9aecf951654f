package org.outcalls.consensus.outcall;

import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The request contexts of this replica's replicated state, as they stood after executing a given
 * height. A payload item may claim only what the context it answers says (policy, seed, request,
 * digest): validation takes these facts from here, never from the item, so a block maker cannot
 * choose them. Its answers depend only on the finalized chain, so every replica that has executed a
 * height gives the same ones for it. Read on the replica's protocol thread, like execution.
 */
@ConsumerType
public interface ReplicatedContexts {
    /** The newest height this replica has executed; −1 before the first. */
    long executedHeight();

    /**
     * The oldest height this replica can still answer {@link #openAt} for (older heights' closed
     * contexts were forgotten, or the replica started from a later checkpoint).
     */
    long oldestHeight();

    /**
     * The context {@code callbackId} if it was open in the state after executing {@code height}:
     * created at or below it and not yet closed there.
     *
     * @param height within {@link #oldestHeight()}..{@link #executedHeight()}
     */
    Optional<OutcallContextInfo> openAt(long callbackId, long height);

    /** The height of the block that created context {@code callbackId}, or −1 if this replica does not know it. */
    long createdHeight(long callbackId);
}
