package org.outcalls.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.SimulatedNetwork;
import org.outcalls.transport.Transports;

/**
 * Replicas that persist ({@link ConsensusStore}) and restart: a restarted replica resumes at its
 * stored finalized height without the listener seeing any height twice, catches up from peers'
 * archives although they forgot those heights in memory, and never contradicts what it signed
 * before the restart.
 */
class RestartTest {
    private static final byte[] SUBNET = "restart-subnet".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final long START = 1_700_000_000_000_000_000L;

    /** What a replica's disk would hold. */
    static final class MemoryStore implements ConsensusStore {
        final TreeMap<Long, ArchivedHeight> chain = new TreeMap<>();
        final TreeMap<Long, List<byte[]>> signed = new TreeMap<>();
        int signedCalls;

        @Override
        public List<ArchivedHeight> newest(int count) {
            List<ArchivedHeight> out = new ArrayList<>(chain.descendingMap().values().stream().limit(count).toList());
            java.util.Collections.reverse(out);
            return out;
        }

        @Override
        public List<byte[]> signedAbove(long height) {
            List<byte[]> out = new ArrayList<>();
            signed.tailMap(height, false).values().forEach(out::addAll);
            return out;
        }

        @Override
        public void signed(long height, byte[] frame) {
            signedCalls++;
            signed.computeIfAbsent(height, h -> new ArrayList<>()).add(frame.clone());
        }

        @Override
        public void finalized(ArchivedHeight h) {
            chain.put(h.height(), h);
            signed.headMap(h.height(), true).clear();
        }

        @Override
        public ArchivedHeight archived(long height) {
            return chain.get(height);
        }
    }

    private final class Node {
        final int index;
        final MemoryStore store = new MemoryStore();
        final Map<Long, Hash> executed = new ConcurrentHashMap<>();
        final List<Long> order = new ArrayList<>();
        int generations;
        CounterSection section;
        Consensus consensus;

        Node(int index) {
            this.index = index;
        }

        void start() {
            section = new CounterSection(net.transport(index).channel("ingress"));
            // The old instance's last task (receiver(null) on stop) may run after this one starts:
            // only the newest instance's channel reaches the network.
            Channel raw = net.transport(index).channel("consensus");
            int generation = ++generations;
            Channel own = new Channel() {
                @Override
                public void send(int peer, byte[] frame) {
                    raw.send(peer, frame);
                }

                @Override
                public void broadcast(byte[] frame) {
                    raw.broadcast(frame);
                }

                @Override
                public void receiver(FrameReceiver r) {
                    if (generation == generations) {
                        raw.receiver(r);
                    }
                }
            };
            consensus = new Consensus(configs.get(index), own, List.of(section),
                    fb -> {
                        order.add(fb.height());
                        executed.put(fb.height(), fb.block().hash());
                        try {
                            FinalityProof proof = FinalityProof.decode(fb.finalizationProof());
                            assertTrue(proof.verify(SUBNET, members), "a valid proof at " + fb.height());
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        section.expire(fb.height() + 1);
                    }, net.clock(index), net.scheduler(index), store);
            section.onWork(consensus::workAvailable);
            consensus.start();
        }

        long finalized() {
            return consensus.finalizedHeight();
        }
    }

    private SimulatedNetwork net;
    private final List<PublicKey> members = new ArrayList<>();
    private final List<ConsensusConfig> configs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    private void subnet(int n, long seed) {
        net = Transports.simulated(n, seed, NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(5)), START);
        List<NodeKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(NodeKey.fromSeed(Hash.sha256(ByteBuffer.allocate(8).putLong(1000 + i).array()).bytes()));
            members.add(keys.get(i).publicKey());
        }
        for (int i = 0; i < n; i++) {
            configs.add(new ConsensusConfig(SUBNET, members, i, keys.get(i), Duration.ofMillis(50), Duration.ofMillis(100),
                    Duration.ofMillis(500), 64, FaultMode.NONE));
            nodes.add(new Node(i));
        }
        nodes.forEach(Node::start);
    }

    private long minFinalized(List<Node> which) {
        return which.stream().mapToLong(Node::finalized).min().orElse(0);
    }

    @Test
    void aRestartedReplicaResumesFromItsStoreAndCatchesUpFromPeersArchives() {
        subnet(4, 7);
        Node late = nodes.get(3);
        assertTrue(net.runUntil(() -> minFinalized(nodes) >= 40, Duration.ofMinutes(5)));
        net.crash(3);
        late.consensus.stop();
        long stoppedAt = late.store.chain.lastKey();
        List<Node> others = nodes.subList(0, 3);
        // Far more heights than any peer keeps in memory (at most 4 × 256): only their archives have them.
        long target = stoppedAt + 1300;
        assertTrue(net.runUntil(() -> minFinalized(others) >= target, Duration.ofHours(2)), "the others go on");

        List<Long> before = List.copyOf(late.order);
        late.start(); // a new process: same store, fresh memory
        net.recover(3);
        long goal = minFinalized(others) + 20;
        assertTrue(net.runUntil(() -> late.finalized() >= goal, Duration.ofMinutes(30)),
                () -> "caught up: " + late.finalized() + " of " + goal + "; late " + late.consensus.metrics() + "; peer "
                        + nodes.get(0).consensus.metrics() + "\n" + late.consensus.describe().lines().limit(30).toList());

        List<Long> after = late.order.subList(before.size(), late.order.size());
        assertEquals(stoppedAt + 1, after.get(0), "the listener continues after the stored height, never repeats one");
        for (int i = 1; i < after.size(); i++) {
            assertEquals(after.get(i - 1) + 1, after.get(i));
        }
        for (long h = 1; h <= goal; h++) {
            Hash theirs = nodes.get(0).store.chain.get(h).hash();
            assertEquals(theirs, late.store.chain.get(h).hash(), "the same block at height " + h);
        }
    }

    @Test
    void aReplicaRestartedRightAfterProposingNeverProposesAnotherBlockThere() {
        subnet(4, 11);
        assertTrue(net.runUntil(() -> minFinalized(nodes) >= 10, Duration.ofMinutes(5)));
        int restarts = 0;
        for (int round = 0; round < 5; round++) {
            Node r = nodes.get(round % 4);
            // stop the replica the instant it has signed a rank-0 proposal that is not yet finalized
            assertTrue(net.runUntil(() -> hasUnfinalizedProposal(r), Duration.ofMinutes(5)));
            net.crash(r.index);
            r.consensus.stop();
            r.start(); // at the same instant, while its peers are still in that round
            r.section.submit(new CounterSection.Command(1_000_000 + round, r.store.chain.lastKey() + 30, 1));
            net.recover(r.index);
            restarts++;
            long goal = minFinalized(nodes) + 10;
            assertTrue(net.runUntil(() -> minFinalized(nodes) >= goal, Duration.ofMinutes(5)), "progress after restart");
        }
        assertEquals(5, restarts);
        for (Node n : nodes) {
            assertEquals(0, n.consensus.metrics().equivocations(), "replica " + n.index
                    + " saw a maker propose two blocks at one height");
        }
        for (long h = 1; h <= minFinalized(nodes); h++) {
            Hash first = nodes.get(0).store.chain.get(h).hash();
            for (Node n : nodes) {
                assertEquals(first, n.store.chain.get(h).hash(), "agreement at " + h);
            }
        }
    }

    private static boolean hasUnfinalizedProposal(Node r) {
        for (Map.Entry<Long, List<byte[]>> e : r.store.signed.entrySet()) {
            for (byte[] f : e.getValue()) {
                // wire version, type 1 (proposal), then the block: i64 height, 32-byte parent, u32 rank
                if (f.length > 46 && f[1] == 1 && f[42] == 0 && f[43] == 0 && f[44] == 0 && f[45] == 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
