package org.outcalls.quorum.median.internal;

import java.util.Arrays;
import org.outcalls.api.policy.ShareView;

/**
 * What makes two shares agree: the same content hash, size and kind (response or reject). Ordered
 * by hash bytes (unsigned), then size, then kind, so grouping never depends on hash-map order.
 */
record ContentKey(byte[] hash, long size, boolean reject) implements Comparable<ContentKey> {

    static ContentKey of(ShareView share) {
        return new ContentKey(share.contentHash(), share.contentSize(), share.reject());
    }

    @Override
    public int compareTo(ContentKey o) {
        int c = Arrays.compareUnsigned(hash, o.hash);
        if (c != 0) {
            return c;
        }
        c = Long.compare(size, o.size);
        return c != 0 ? c : Boolean.compare(reject, o.reject);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentKey k && compareTo(k) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }
}
