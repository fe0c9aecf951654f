package org.outcalls.consensus;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.crypto.PublicKey;

/**
 * Who runs consensus at each height: the members' keys, index = replica number (a member keeps its
 * index for as long as it is one). Every honest replica must answer the same for a height, so the
 * answer may depend only on the finalized chain: the replica derives it from its executed registry,
 * in which a change executed at height H takes effect at H + {@link #ACTIVATION_DELAY}. Heights it
 * cannot know yet (more than that above what it executed) are null: consensus then neither validates
 * nor signs anything there and waits — so it never acts more than {@link #ACTIVATION_DELAY} heights
 * ahead of execution. Called on the protocol thread.
 */
@ConsumerType
public interface Membership {
    /**
     * Heights between the block that executes a membership change and the first height the new
     * members run: consensus at height h needs only what execution up to h − this delay decided.
     */
    int ACTIVATION_DELAY = 64;

    /** The members at {@code height}, or null if this replica cannot know them yet. */
    List<PublicKey> at(long height);

    /** The same members at every height. */
    static Membership fixed(List<PublicKey> members) {
        List<PublicKey> copy = List.copyOf(members);
        return height -> copy;
    }
}
