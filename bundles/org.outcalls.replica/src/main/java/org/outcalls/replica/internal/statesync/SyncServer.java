package org.outcalls.replica.internal.statesync;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.replica.internal.statesync.SyncWire.ChunkReply;
import org.outcalls.replica.internal.statesync.SyncWire.ChunkRequest;
import org.outcalls.replica.internal.statesync.SyncWire.CupReply;
import org.outcalls.replica.internal.statesync.SyncWire.CupRequest;
import org.outcalls.replica.internal.statesync.SyncWire.HeightReply;
import org.outcalls.replica.internal.statesync.SyncWire.HeightRequest;
import org.outcalls.replica.internal.statesync.SyncWire.ManifestReply;
import org.outcalls.replica.internal.statesync.SyncWire.ManifestRequest;
import org.outcalls.replica.internal.statesync.SyncWire.Msg;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.outcalls.transport.ServingBudget;
import org.outcalls.transport.Transports;

/**
 * Answers peers that sync their state from this replica: its newest catch-up package (with its
 * finalized height and the lowest height it can still serve), a checkpoint's manifest and chunks,
 * and single finalized heights, all from the store. Every reply comes out of the asking peer's
 * {@link ServingBudget} ({@link #LIMITS}); the same request again within the replay window is not
 * answered. Protocol thread.
 */
public final class SyncServer {
    /**
     * Per peer a burst of 32 MiB and 512 replies, refilled at 16 MiB and 256 replies a second; the
     * same request is answered once per 500 ms (an honest client asks again after its 3 s timeout).
     */
    public static final ServingBudget.Limits LIMITS = new ServingBudget.Limits(32L << 20, 16L << 20, 512, 256,
            Duration.ofMillis(500), 1024);

    private final ReplicaStore store;
    private final Channel channel;
    private final Clock clock;
    private final LongSupplier finalized;
    private final ServingBudget budget;
    private final SyncFaults faults;
    /** The checkpoint last asked for, cut into chunks: peers fetch one checkpoint chunk by chunk. */
    private long cachedHeight = -1;
    private byte[] cachedBytes;
    private StateManifest cachedManifest;

    /**
     * @param finalized this replica's finalized height (consensus's once it runs, else the store's tip)
     * @param peers     how many member indices peers may have
     */
    public SyncServer(int self, int peers, ReplicaStore store, Channel channel, Clock clock, LongSupplier finalized,
                      SyncFaults faults) {
        this.store = store;
        this.channel = channel;
        this.clock = clock;
        this.finalized = finalized;
        this.faults = faults;
        this.budget = Transports.servingBudget("state sync", self, peers, LIMITS);
    }

    /** Requests and frames refused by the budget so far. */
    public long refused() {
        return budget.refused();
    }

    void onRequest(int from, Msg m) {
        long now = clock.nanos();
        if (m instanceof CupRequest) {
            byte[] cup = store.newestCup().orElse(null);
            long lowest = store.chainRange().map(r -> r[0]).orElse(-1L);
            // every CupRequest is equal: a prober's repeats are not replays of one answered request
            reply(from, null, new CupReply(finalized.getAsLong(), lowest, cup), now);
        } else if (m instanceof ManifestRequest r) {
            reply(from, m, new ManifestReply(r.height(), load(r.height()) ? cachedManifest.encode() : null), now);
        } else if (m instanceof ChunkRequest r) {
            byte[] chunk = load(r.height()) && r.index() < cachedManifest.count()
                    ? faults.servedChunk(StateManifest.slice(cachedBytes, r.index(), cachedManifest.chunkBytes())) : null;
            reply(from, m, new ChunkReply(r.height(), r.index(), chunk), now);
        } else if (m instanceof HeightRequest r) {
            ArchivedHeight a = store.archived(r.height());
            reply(from, m, new HeightReply(r.height(), a == null ? null : a.encode()), now);
        }
    }

    private void reply(int to, Msg request, Msg answer, long now) {
        byte[] frame = SyncWire.encode(answer);
        if (budget.admit(to, request, frame.length, now)) {
            channel.send(to, frame);
        }
    }

    /** Whether the checkpoint at {@code height} is kept; loads it into the cache if so. */
    private boolean load(long height) {
        if (height == cachedHeight) {
            return true;
        }
        Optional<ReplicaStore.Checkpoint> cp = store.checkpointAt(height);
        if (cp.isEmpty()) {
            return false;
        }
        cachedHeight = height;
        cachedBytes = cp.get().bytes();
        cachedManifest = StateManifest.of(height, cachedBytes);
        return true;
    }
}
