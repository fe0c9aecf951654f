package org.outcalls.consensus.internal;

import java.util.List;
import java.util.function.Supplier;
import org.outcalls.consensus.PayloadContext;

/** A payload context whose ancestor payloads are gathered only if the section asks. */
final class Context implements PayloadContext {
    private final long height;
    private final long blockTime;
    private final int maker;
    private final long maxBytes;
    private final Supplier<List<byte[]>> ancestors;
    private List<byte[]> cached;

    Context(long height, long blockTime, int maker, long maxBytes, Supplier<List<byte[]>> ancestors) {
        this.height = height;
        this.blockTime = blockTime;
        this.maker = maker;
        this.maxBytes = maxBytes;
        this.ancestors = ancestors;
    }

    @Override
    public long height() {
        return height;
    }

    @Override
    public long blockTime() {
        return blockTime;
    }

    @Override
    public int maker() {
        return maker;
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public List<byte[]> ancestorPayloads() {
        if (cached == null) {
            cached = List.copyOf(ancestors.get());
        }
        return cached;
    }
}
