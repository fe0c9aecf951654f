package org.outcalls.replica.internal.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other replicas which plugin versions this one has installed, and remembers what each
 * of them said: what {@code outcalls admin enable} checks before activating a version (at least
 * n − f replicas must have it) and what the dashboard shows per version. Local knowledge, never an
 * input of replicated execution or validation: a peer may lie about it and harm only the readiness
 * check (the subnet still agrees whatever replicas have installed).
 */
final class PluginAnnouncer {
    static final String CHANNEL = "plugins";
    static final Duration PERIOD = Duration.ofSeconds(2);
    static final int MAX_ENTRIES = 512;
    static final int MAX_ENTRY_BYTES = 200;
    private static final Logger LOG = LoggerFactory.getLogger(PluginAnnouncer.class);

    private final int self;
    private final Channel channel;
    private final Scheduler scheduler;
    private final Supplier<List<String>> installed;
    private final Map<Integer, List<String>> announced = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    PluginAnnouncer(int self, Channel channel, Scheduler scheduler, Supplier<List<String>> installed) {
        this.self = self;
        this.channel = channel;
        this.scheduler = scheduler;
        this.installed = installed;
        channel.receiver(this::onFrame);
    }

    void start() {
        scheduler.execute(this::announce);
    }

    void stop() {
        stopped = true;
    }

    /** What replica {@code index} has installed, as it last said (this replica: as it is now); empty if unknown. */
    Optional<List<String>> installedOn(int index) {
        return index == self ? Optional.of(installed.get()) : Optional.ofNullable(announced.get(index));
    }

    private void announce() {
        if (stopped) {
            return;
        }
        try {
            channel.broadcast(encode(installed.get()));
        } catch (RuntimeException e) {
            LOG.warn("replica {}: could not announce its plugins: {}", self, e.toString());
        }
        scheduler.schedule(PERIOD, this::announce);
    }

    private void onFrame(int from, byte[] frame) {
        try {
            announced.put(from, decode(frame));
        } catch (DecodeException e) {
            LOG.debug("replica {} announced its plugins in a malformed frame: {}", from, e.getMessage());
        }
    }

    static byte[] encode(List<String> entries) {
        List<String> bounded = entries.size() > MAX_ENTRIES ? entries.subList(0, MAX_ENTRIES) : entries;
        return new CanonicalWriter(64 * bounded.size() + 8).list(bounded, CanonicalWriter::string).toByteArray();
    }

    static List<String> decode(byte[] frame) throws DecodeException {
        CanonicalReader in = new CanonicalReader(frame);
        List<String> entries = in.list(MAX_ENTRIES, "plugins", r -> r.string(MAX_ENTRY_BYTES, "plugin"));
        in.expectEnd();
        return List.copyOf(new ArrayList<>(entries));
    }
}
