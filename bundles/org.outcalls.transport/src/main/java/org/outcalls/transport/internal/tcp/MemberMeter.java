package org.outcalls.transport.internal.tcp;

import java.util.concurrent.atomic.AtomicLongArray;

/** Per member, the bytes and frames received and not yet handled by the protocol thread, summed over its connections. */
public final class MemberMeter {
    private final AtomicLongArray bytes;
    private final AtomicLongArray frames;
    private final AtomicLongArray peakBytes;
    private final AtomicLongArray pauses;

    public MemberMeter(int members) {
        bytes = new AtomicLongArray(members);
        frames = new AtomicLongArray(members);
        peakBytes = new AtomicLongArray(members);
        pauses = new AtomicLongArray(members);
    }

    public void added(int member, long size) {
        long now = bytes.addAndGet(member, size);
        frames.incrementAndGet(member);
        peakBytes.accumulateAndGet(member, now, Math::max);
    }

    public void handled(int member, long size) {
        bytes.addAndGet(member, -size);
        frames.decrementAndGet(member);
    }

    public void paused(int member) {
        pauses.incrementAndGet(member);
    }

    public long bytes(int member) {
        return bytes.get(member);
    }

    public long frames(int member) {
        return frames.get(member);
    }

    public long peakBytes(int member) {
        return peakBytes.get(member);
    }

    public long pauses(int member) {
        return pauses.get(member);
    }
}
