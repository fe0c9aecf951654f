package org.outcalls.consensus.outcall;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.crypto.PublicKey;

/**
 * Which members answer a request context: those of the registry version the context was opened at
 * ({@link OutcallContextInfo#registryVersion()}), index = replica number. A context opened before a
 * membership change is answered (fetched, signed, certified) by the members of its time, one opened
 * after it by the new ones, so every replica checks the same item against the same keys whatever
 * it has executed since. The answer must come from replicated state only.
 */
@ConsumerType
public interface OutcallCommittees {
    /** The members at registry version {@code registryVersion} (never empty). */
    List<PublicKey> at(long registryVersion);

    /** The same members at every registry version. */
    static OutcallCommittees fixed(List<PublicKey> members) {
        List<PublicKey> copy = List.copyOf(members);
        return v -> copy;
    }
}
