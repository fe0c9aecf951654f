package org.outcalls.pool;

import org.osgi.annotation.versioning.ConsumerType;
import org.outcalls.crypto.Hash;

/** Something a pool holds: identified by a hash of its canonical encoding, placed at a height. */
@ConsumerType
public interface PoolArtifact {
    /** Identity (typically SHA-256 of the canonical encoding): equal ids are duplicates. */
    Hash id();

    /** The height the artifact belongs to (block height, or whatever orders the owner's work). */
    long height();

    /** Approximate memory the artifact takes, in bytes (at least its encoded size). */
    int sizeBytes();
}
