package org.outcalls.replica.internal.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Transport;

/**
 * A replica's transport seen through a wrapper around each of its channels: the adversary's tap on
 * what a faulty replica sends, the dashboard's note of when each peer was last heard. Each channel is
 * wrapped once, when first asked for.
 */
public abstract class WrappedTransport implements Transport {
    private final Transport delegate;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    protected WrappedTransport(Transport delegate) {
        this.delegate = delegate;
    }

    /** The channel this transport hands out for {@code channel}, named {@code name}. */
    protected abstract Channel wrap(String name, Channel channel);

    @Override
    public final int self() {
        return delegate.self();
    }

    @Override
    public final int size() {
        return delegate.size();
    }

    @Override
    public final Channel channel(String name) {
        return channels.computeIfAbsent(name, n -> wrap(n, delegate.channel(n)));
    }
}
