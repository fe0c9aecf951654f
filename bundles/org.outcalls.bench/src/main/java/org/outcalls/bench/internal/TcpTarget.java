package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.internal.node.NodeSetup;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.transport.Clock;
import org.outcalls.transport.ProtocolThread;
import org.outcalls.transport.TcpTransport;
import org.outcalls.transport.Transports;

/**
 * n replicas in this JVM connected by the multi-host transport ({@link TcpTransport}: TCP with
 * mutual TLS, node certificates pinned) over loopback, each with its own protocol thread,
 * adapter and signature verifier, wired as {@code outcalls replica} wires one (without its store).
 */
final class TcpTarget implements Target {
    private final int n;
    private final Adapters adapters;
    private final List<ProtocolThread> threads = new ArrayList<>();
    private final List<TcpTransport> transports = new ArrayList<>();
    private final List<ReplicaNode> nodes = new ArrayList<>();
    private final TransformRunner transforms;
    private final ExecutorService signing;
    private final FrontDoor frontDoor;

    TcpTarget(Vertx vertx, Path originCa, int n, Probe probe) throws Exception {
        this.n = n;
        this.adapters = new Adapters(vertx, originCa, n);
        probe.deliveriesPerOutcall(n);
        List<NodeKey> keys = new ArrayList<>();
        Genesis.Builder g = Genesis.builder().timeMillis(System.currentTimeMillis()).admin(NodeKey.generate().publicKey())
                .consensusTimeoutMillis(Subnets.CONSENSUS_TIMEOUT_MILLIS);
        List<Integer> ports = Ports.free(n);
        for (int i = 0; i < n; i++) {
            NodeKey k = NodeKey.generate();
            keys.add(k);
            g.member(k.publicKey(), "127.0.0.1:" + ports.get(i));
        }
        Subnets.enabledPlugins().forEach(g::plugin);
        g.canister(BenchCanister.ID, Subnets.CANISTER_CYCLES);
        Genesis genesis = g.build();
        List<TcpTransport.Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(TcpTransport.Peer.of(i, keys.get(i).publicKey(), "127.0.0.1:" + ports.get(i)));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        this.transforms = new TransformRunner(TransformRunner.Budget.DEFAULT, Math.max(2, cores),
                TransformRunner.QueueLimits.sharedBy(n));
        AtomicInteger signers = new AtomicInteger();
        this.signing = Executors.newFixedThreadPool(Math.max(2, cores), r -> {
            Thread t = new Thread(r, "outcalls-sign-" + signers.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        var plugins = Subnets.plugins();
        var canisters = Subnets.canisters(new BenchCanister(probe));
        try {
            for (int i = 0; i < n; i++) {
                ProtocolThread thread = new ProtocolThread("outcalls-replica-" + i);
                threads.add(thread);
                TcpTransport t = Transports.tcp(vertx, keys.get(i), i, peers, "127.0.0.1", ports.get(i),
                        genesis.subnetIdBytes(), thread, TcpTransport.Settings.DEFAULT);
                transports.add(t);
                nodes.add(new ReplicaNode(new NodeSetup(genesis, keys.get(i), t, thread, Clock.system(),
                        adapters.forReplica(i), transforms, plugins, canisters, Subnets.TIMING, FaultMode.NONE,
                        false, signing, new BatchVerifier(65_536))));
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        nodes.forEach(ReplicaNode::start);
        this.frontDoor = new FrontDoor(nodes.get(0), org.outcalls.crypto.Hash.wrap(genesis.subnetIdBytes()));
    }

    @Override
    public String transport() {
        return "TCP+TLS";
    }

    @Override
    public int replicas() {
        return n;
    }

    @Override
    public long height() {
        return nodes.get(0).replica().height();
    }

    @Override
    public boolean submit(long tag, String url) {
        return frontDoor.submit(tag, url) == FrontDoor.Outcome.ACCEPTED;
    }

    @Override
    public void close() {
        nodes.forEach(ReplicaNode::stop);
        transports.forEach(TcpTransport::close);
        threads.forEach(ProtocolThread::close);
        if (transforms != null) {
            transforms.close();
        }
        if (signing != null) {
            signing.shutdownNow();
        }
        adapters.close();
    }
}
