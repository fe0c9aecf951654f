package org.outcalls.consensus.outcall;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The shares a replica admitted from gossip after checking their signatures against the members
 * of their request's registry version. An {@link ItemValidator} does not check again the signature
 * of an included share that is the same as one of these ({@link SignedShare#sameSigned}): the check
 * would give the same answer, so the verdict does not depend on what a replica happens to hold,
 * only what the verdict costs does.
 */
@ConsumerType
@FunctionalInterface
public interface AdmittedShares {
    /** None: every included share is checked. */
    AdmittedShares NONE = (callbackId, signer) -> null;

    /** The share {@code signer} signed for the request, as admitted here, or null. */
    SignedShare admitted(long callbackId, int signer);
}
