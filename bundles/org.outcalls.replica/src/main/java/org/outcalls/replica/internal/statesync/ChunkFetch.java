package org.outcalls.replica.internal.statesync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.outcalls.replica.internal.statesync.SyncWire.ChunkReply;
import org.outcalls.replica.internal.statesync.SyncWire.ChunkRequest;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a checkpoint's chunks from several peers at once ({@link #PER_PEER} requests in flight per
 * peer, spread round-robin) and checks each on arrival against the manifest. A peer whose chunk does
 * not match is blamed (logged, shown in the progress) and asked nothing more; the chunk goes to
 * another peer. A peer that has no such checkpoint, or is too slow ({@link #TIMEOUT}, {@link
 * #MAX_TIMEOUTS} times), is left out without blame. Protocol thread.
 */
final class ChunkFetch {
    static final int PER_PEER = 4;
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final int MAX_TIMEOUTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkFetch.class);

    private record InFlight(int peer, Scheduler.Cancellable timeout) {
    }

    private final int self;
    private final long height;
    private final StateManifest manifest;
    private final List<Integer> peers;
    private final Channel channel;
    private final Scheduler scheduler;
    private final SyncProgress progress;
    private final Consumer<byte[]> done;
    private final Consumer<String> failed;
    private final byte[][] chunks;
    private final ArrayDeque<Integer> missing = new ArrayDeque<>();
    private final Map<Integer, InFlight> inFlight = new HashMap<>();
    private final Map<Integer, Integer> busy = new HashMap<>();
    private final Map<Integer, Integer> timeouts = new HashMap<>();
    private final TreeSet<Integer> avoided = new TreeSet<>();
    private int next;
    private int verified;
    private boolean finished;

    ChunkFetch(int self, long height, StateManifest manifest, List<Integer> peers, Channel channel, Scheduler scheduler,
               SyncProgress progress, Consumer<byte[]> done, Consumer<String> failed) {
        this.self = self;
        this.height = height;
        this.manifest = manifest;
        this.peers = new ArrayList<>(peers);
        this.channel = channel;
        this.scheduler = scheduler;
        this.progress = progress;
        this.done = done;
        this.failed = failed;
        this.chunks = new byte[manifest.count()][];
        for (int i = 0; i < manifest.count(); i++) {
            missing.add(i);
        }
    }

    void start() {
        fill();
    }

    void onReply(int from, ChunkReply r) {
        InFlight f = r.height() == height ? inFlight.get(r.index()) : null;
        if (finished || f == null || f.peer() != from) {
            return; // not asked of this peer (late, duplicated, or unsolicited)
        }
        f.timeout().cancel();
        inFlight.remove(r.index());
        busy.merge(from, -1, Integer::sum);
        if (r.chunk() == null) {
            LOG.info("replica {}: peer {} no longer has the checkpoint at height {}; fetching from the others", self,
                    from, height);
            progress.lacking(from);
            avoided.add(from);
            missing.addFirst(r.index());
        } else if (!manifest.matches(r.index(), r.chunk())) {
            String why = "chunk " + r.index() + " of the checkpoint at height " + height
                    + " does not match the signed manifest";
            LOG.warn("replica {}: peer {} served {}: blamed, asked nothing more; fetching it from another peer", self,
                    from, why);
            progress.blame(from, why);
            avoided.add(from);
            missing.addFirst(r.index());
        } else {
            chunks[r.index()] = r.chunk();
            verified++;
            progress.chunkVerified(from, r.chunk().length);
            if (verified % Math.max(1, chunks.length / 4) == 0 && verified < chunks.length) {
                LOG.info("replica {}: state sync: {} of {} chunks verified", self, verified, chunks.length);
            }
        }
        fill();
    }

    private void timedOut(int index, int peer) {
        if (finished || inFlight.get(index) == null || inFlight.get(index).peer() != peer) {
            return;
        }
        inFlight.remove(index);
        busy.merge(peer, -1, Integer::sum);
        if (timeouts.merge(peer, 1, Integer::sum) >= MAX_TIMEOUTS && avoided.add(peer)) {
            LOG.info("replica {}: peer {} did not answer {} chunk requests in time; fetching from the others", self, peer,
                    MAX_TIMEOUTS);
        }
        missing.addFirst(index);
        fill();
    }

    /** Sends requests while chunks are missing and some usable peer has room; finishes or fails when it can. */
    private void fill() {
        if (finished) {
            return;
        }
        if (verified == chunks.length) {
            finished = true;
            done.accept(assemble());
            return;
        }
        List<Integer> usable = peers.stream().filter(p -> !avoided.contains(p)).toList();
        if (usable.isEmpty()) {
            finished = true;
            inFlight.values().forEach(f -> f.timeout().cancel());
            failed.accept("no peer left to fetch the checkpoint at height " + height + " from (blamed or without it: "
                    + avoided + ")");
            return;
        }
        while (!missing.isEmpty()) {
            Integer peer = nextWithRoom(usable);
            if (peer == null) {
                return;
            }
            int index = missing.poll();
            busy.merge(peer, 1, Integer::sum);
            Scheduler.Cancellable t = scheduler.schedule(TIMEOUT, () -> timedOut(index, peer));
            inFlight.put(index, new InFlight(peer, t));
            channel.send(peer, SyncWire.encode(new ChunkRequest(height, index)));
        }
    }

    private Integer nextWithRoom(List<Integer> usable) {
        for (int tried = 0; tried < usable.size(); tried++) {
            int p = usable.get(next++ % usable.size());
            if (busy.getOrDefault(p, 0) < PER_PEER) {
                return p;
            }
        }
        return null;
    }

    private byte[] assemble() {
        byte[] out = new byte[(int) manifest.totalBytes()];
        int off = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, off, c.length);
            off += c.length;
        }
        return out;
    }

    /** Stops: no more requests, late replies are ignored. */
    void cancel() {
        finished = true;
        inFlight.values().forEach(f -> f.timeout().cancel());
    }
}
