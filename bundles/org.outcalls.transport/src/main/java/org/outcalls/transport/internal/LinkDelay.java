package org.outcalls.transport.internal;

import java.util.Random;
import org.outcalls.transport.NetworkConditions;

/** How long one copy of a frame takes under link conditions: the same draws in both in-JVM networks. */
final class LinkDelay {
    private LinkDelay() {
    }

    /** Uniform in [min, max) delay, plus up to the reorder delay for the share of frames that are reordered. */
    static long drawNanos(NetworkConditions c, Random random) {
        long lo = c.minDelay().toNanos();
        long hi = c.maxDelay().toNanos();
        long delay = hi > lo ? lo + (long) (random.nextDouble() * (hi - lo)) : lo;
        if (c.reordering() > 0 && random.nextDouble() < c.reordering()) {
            delay += (long) (random.nextDouble() * c.reorderDelay().toNanos());
        }
        return delay;
    }
}
