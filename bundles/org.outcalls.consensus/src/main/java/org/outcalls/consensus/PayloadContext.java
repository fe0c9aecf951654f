package org.outcalls.consensus;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** What a payload section may know about the block it builds or validates a payload for. */
@ProviderType
public interface PayloadContext {
    /** The block's height. */
    long height();

    /** The block's time: nanoseconds since the Unix epoch, the maker's clock, strictly above the parent's. */
    long blockTime();

    /** The maker's replica index. */
    int maker();

    /** The most bytes this section's payload may have in this block. */
    long maxBytes();

    /**
     * This section's payloads in the parent chain, newest first, at most {@code ancestryDepth}
     * of them (an ancestor without a payload for the section contributes an empty array);
     * identical on every replica for the same parent (depends only on the chain). The arrays are
     * shared with the chain: read them, never modify them.
     */
    List<byte[]> ancestorPayloads();
}
