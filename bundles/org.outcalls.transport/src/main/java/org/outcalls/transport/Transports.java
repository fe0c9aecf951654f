package org.outcalls.transport;

import io.vertx.core.Vertx;
import java.util.List;
import org.outcalls.crypto.NodeKey;
import org.outcalls.transport.internal.DiscreteEventNetwork;
import org.outcalls.transport.internal.ThreadPerReplicaNetwork;
import org.outcalls.transport.internal.TokenBucketBudget;
import org.outcalls.transport.internal.tcp.VertxTcpTransport;

/** Creates the networks, transports and serving budgets whose implementations this bundle keeps to itself. */
public final class Transports {
    private Transports() {
    }

    /** A perfect {@link LiveNetwork} of {@code size} replicas. */
    public static LiveNetwork live(int size) {
        return new ThreadPerReplicaNetwork(size);
    }

    /**
     * A {@link LiveNetwork} with {@link LiveNetwork#DEFAULT_MAX_PENDING_FRAMES} and
     * {@link LiveNetwork#DEFAULT_MAX_PENDING_BYTES}.
     *
     * @param size       number of replicas
     * @param conditions link conditions (development: delay, loss, ...)
     * @param seed       seeds the random choices the conditions need
     */
    public static LiveNetwork live(int size, NetworkConditions conditions, long seed) {
        return new ThreadPerReplicaNetwork(size, conditions, seed);
    }

    /**
     * @param maxPendingFrames frames one sender may have waiting for one receiver, at least 1
     * @param maxPendingBytes  their bytes, at least {@link Transport#MAX_FRAME_BYTES}
     */
    public static LiveNetwork live(int size, NetworkConditions conditions, long seed, int maxPendingFrames,
            long maxPendingBytes) {
        return new ThreadPerReplicaNetwork(size, conditions, seed, maxPendingFrames, maxPendingBytes);
    }

    /**
     * @param size       number of replicas
     * @param seed       seeds every random choice of the run
     * @param conditions initial link conditions
     * @param startNanos virtual wall-clock time at the start (nanoseconds since the Unix epoch)
     */
    public static SimulatedNetwork simulated(int size, long seed, NetworkConditions conditions, long startNanos) {
        return new DiscreteEventNetwork(size, seed, conditions, startNanos);
    }

    /**
     * @param what  what is served, for log lines ("content", "catch-up")
     * @param self  this replica's index, for log lines
     * @param peers number of peers (indices {@code 0..peers-1})
     */
    public static ServingBudget servingBudget(String what, int self, int peers, ServingBudget.Limits limits) {
        return new TokenBucketBudget(what, self, peers, limits);
    }

    /**
     * A {@link TcpTransport} speaking this release's {@link ProtocolVersions}: listens and starts
     * dialling the peers; returns once the server listens.
     *
     * @param vertx      the shared Vert.x instance
     * @param key        this replica's node key (its certificate is made from it)
     * @param self       this replica's index in {@code peers}
     * @param peers      every member in index order (this replica included), as the registry pins them
     * @param listenHost address to listen on (e.g. {@code 0.0.0.0})
     * @param listenPort port to listen on (0: any free port, see {@link TcpTransport#port()})
     * @param networkId  bytes every member must share (the subnet id): a peer of another subnet is refused
     * @param protocol   this replica's protocol thread: receivers run there
     * @throws Exception if the server cannot listen (the message names the address)
     */
    public static TcpTransport tcp(Vertx vertx, NodeKey key, int self, List<TcpTransport.Peer> peers, String listenHost,
            int listenPort, byte[] networkId, Scheduler protocol, TcpTransport.Settings settings) throws Exception {
        return tcp(vertx, key, self, peers, listenHost, listenPort, networkId, protocol, settings, ProtocolVersions.release());
    }

    /** As above, speaking {@code versions} instead of this release's (tests of mixed releases). */
    public static TcpTransport tcp(Vertx vertx, NodeKey key, int self, List<TcpTransport.Peer> peers, String listenHost,
            int listenPort, byte[] networkId, Scheduler protocol, TcpTransport.Settings settings, ProtocolVersions versions)
            throws Exception {
        return VertxTcpTransport.start(vertx, key, self, peers, listenHost, listenPort, networkId, protocol, settings, versions);
    }
}
