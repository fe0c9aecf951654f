package org.outcalls.consensus;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.SimulatedNetwork;
import org.outcalls.transport.Transports;

/**
 * A subnet of n replicas on a {@link SimulatedNetwork}: each with its consensus, the counter
 * payload section and a counter state machine, and a checker that every honest replica's
 * finalized chain, finality proofs and state agree. Everything is derived from one seed.
 */
final class TestSubnet {
    static final long START = 1_700_000_000_000_000_000L;
    static final byte[] SUBNET = "test-subnet".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    final SimulatedNetwork net;
    final int n;
    final List<Replica> replicas = new ArrayList<>();
    final Map<Integer, FaultMode> faults;
    final List<PublicKey> members = new ArrayList<>();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    /** height → the block hash honest replicas finalized there (the first one seen). */
    final Map<Long, Hash> agreed = new HashMap<>();
    /** height → the state hash after executing it. */
    final Map<Long, Hash> states = new HashMap<>();
    final Map<Long, Long> submittedExpiry = new TreeMap<>();
    private long nextCommand = 1;

    final class Replica {
        final int index;
        final FaultMode fault;
        final Consensus consensus;
        final CounterSection section;
        long finalized;
        long value;
        Hash state = Hash.ZERO;
        final Map<Long, Integer> executions = new HashMap<>();
        final List<Long> blockTimes = new ArrayList<>();
        final Map<Long, Integer> makers = new HashMap<>();

        Replica(int index, FaultMode fault, ConsensusConfig config) {
            this.index = index;
            this.fault = fault;
            this.section = new CounterSection(net.transport(index).channel("ingress"));
            this.consensus = new Consensus(config, net.transport(index).channel("consensus"), List.of(section),
                    this::onFinalized, net.clock(index), net.scheduler(index));
            section.onWork(consensus::workAvailable);
        }

        boolean honest() {
            return fault == FaultMode.NONE;
        }

        private void onFinalized(FinalizedBlock fb) {
            Block b = fb.block();
            long h = b.height();
            if (honest()) {
                check(h == finalized + 1, "replica %d: got height %d after %d", index, h, finalized);
                Hash hash = b.hash();
                Hash first = agreed.putIfAbsent(h, hash);
                check(first == null || first.equals(hash), "replica %d finalized %s at height %d, another honest replica %s",
                        index, hash, h, first);
                Hash parent = h == 1 ? Block.genesis(SUBNET).hash() : agreed.get(h - 1);
                check(b.parent().equals(parent), "replica %d: block at %d does not extend the agreed block at %d", index,
                        h, h - 1);
                checkProof(fb, hash);
                if (!blockTimes.isEmpty()) {
                    check(b.time() > blockTimes.get(blockTimes.size() - 1), "replica %d: block time not increasing at %d",
                            index, h);
                }
            }
            blockTimes.add(b.time());
            makers.put(h, b.maker());
            finalized = h;
            List<CounterSection.Command> commands = List.of();
            byte[] p = b.payloadOf(CounterSection.NAME);
            if (p.length > 0) {
                try {
                    commands = CounterSection.decode(p);
                } catch (DecodeException e) {
                    check(false, "replica %d: finalized payload at %d does not decode", index, h);
                }
            }
            CanonicalWriter w = new CanonicalWriter().hash(state).i64(h);
            for (CounterSection.Command c : commands) {
                executions.merge(c.id(), 1, Integer::sum);
                value += c.delta();
                w.i64(c.id());
            }
            w.i64(value);
            state = Hash.sha256(w.toByteArray());
            if (honest()) {
                Hash s = states.putIfAbsent(h, state);
                check(s == null || s.equals(state), "replica %d: state after height %d differs", index, h);
            }
            section.executed(commands);
            section.expire(h + 1);
        }

        private void checkProof(FinalizedBlock fb, Hash hash) {
            try {
                FinalityProof proof = FinalityProof.decode(fb.finalizationProof());
                check(proof.verify(SUBNET, members), "replica %d: finality proof at %d does not verify", index, fb.height());
                check(proof.height() >= fb.height(), "replica %d: proof for a lower height", index);
                if (proof.height() == fb.height()) {
                    check(proof.blockHash().equals(hash), "replica %d: proof for another block at %d", index, fb.height());
                }
            } catch (DecodeException e) {
                check(false, "replica %d: finality proof does not decode: %s", index, e.getMessage());
            }
        }
    }

    /** Subnet parameters. */
    record Params(int n, long seed, Map<Integer, FaultMode> faults, NetworkConditions conditions, Duration rankDelay,
            Duration heartbeat, Duration tolerance) {
        static Params of(int n, long seed) {
            return new Params(n, seed, Map.of(), NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(5)),
                    Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(500));
        }

        Params faults(Map<Integer, FaultMode> f) {
            return new Params(n, seed, f, conditions, rankDelay, heartbeat, tolerance);
        }

        Params conditions(NetworkConditions c) {
            return new Params(n, seed, faults, c, rankDelay, heartbeat, tolerance);
        }

        Params timing(Duration rank, Duration beat) {
            return new Params(n, seed, faults, conditions, rank, beat, tolerance);
        }

        Params tolerance(Duration t) {
            return new Params(n, seed, faults, conditions, rankDelay, heartbeat, t);
        }
    }

    final Params params;

    TestSubnet(Params p) {
        this.params = p;
        this.n = p.n();
        this.faults = new TreeMap<>(p.faults());
        this.net = Transports.simulated(n, p.seed(), p.conditions(), START);
        List<NodeKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] seed = Hash.sha256(ByteBuffer.allocate(8).putLong(i).array()).bytes();
            NodeKey k = NodeKey.fromSeed(seed);
            keys.add(k);
            members.add(k.publicKey());
        }
        for (int i = 0; i < n; i++) {
            FaultMode f = faults.getOrDefault(i, FaultMode.NONE);
            ConsensusConfig c = new ConsensusConfig(SUBNET, members, i, keys.get(i), p.rankDelay(), p.heartbeat(),
                    p.tolerance(), 64, f);
            replicas.add(new Replica(i, f, c));
        }
    }

    void start() {
        for (Replica r : replicas) {
            r.consensus.start();
            scheduleIngressRetry(r.index);
        }
    }

    /** Clients resubmit: every replica re-gossips its pending commands every second. */
    private void scheduleIngressRetry(int i) {
        net.scheduler(i).schedule(Duration.ofSeconds(1), () -> {
            Replica r = replicas.get(i);
            if (!r.section.pending().isEmpty()) {
                net.transport(i).channel("ingress").broadcast(CounterSection.encode(List.copyOf(r.section.pending().values())));
            }
            scheduleIngressRetry(i);
        });
    }

    private void check(boolean ok, String fmt, Object... args) {
        if (!ok) {
            violations.add(String.format(fmt, args));
        }
    }

    List<Replica> honest() {
        return replicas.stream().filter(Replica::honest).toList();
    }

    long minHonestFinalized() {
        return honest().stream().mapToLong(r -> r.finalized).min().orElse(0);
    }

    long maxHonestFinalized() {
        return honest().stream().mapToLong(r -> r.finalized).max().orElse(0);
    }

    /** Minimum finalized height among honest replicas that are not crashed in the network. */
    long minLiveHonestFinalized() {
        return honest().stream().filter(r -> !net.crashed(r.index)).mapToLong(r -> r.finalized).min().orElse(0);
    }

    boolean runUntil(BooleanSupplier done, Duration limit) {
        return net.runUntil(() -> !violations.isEmpty() || done.getAsBoolean(), limit) && violations.isEmpty();
    }

    void runFor(Duration d) {
        net.runFor(d);
    }

    Map<Integer, Long> finalizedByReplica() {
        Map<Integer, Long> m = new TreeMap<>();
        for (Replica r : replicas) {
            m.put(r.index, r.finalized);
        }
        return m;
    }

    /** The rank-0 block maker at {@code height} (the same permutation the engine uses). */
    int rank0(long height) {
        int best = -1;
        Hash bestKey = null;
        for (int i = 0; i < n; i++) {
            Hash k = Hash.of(org.outcalls.crypto.Domain.RANKING,
                    new CanonicalWriter(48).bytes(SUBNET).i64(height).u32(i).toByteArray());
            if (bestKey == null || k.compareTo(bestKey) < 0) {
                best = i;
                bestKey = k;
            }
        }
        return best;
    }

    boolean runUntilHonestAt(long height, Duration limit) {
        return runUntil(() -> minHonestFinalized() >= height, limit);
    }

    /** A client submits a new command to {@code replica}; returns its id. */
    long submit(int replica, long delta) {
        long id = nextCommand++;
        Replica r = replicas.get(replica);
        long expiry = r.finalized + CounterSection.EXPIRY_WINDOW - 10;
        submittedExpiry.put(id, expiry);
        r.section.submit(new CounterSection.Command(id, expiry, delta));
        return id;
    }

    /** Every command was executed exactly once by every honest replica (call when all passed every expiry). */
    void checkExactlyOnce() {
        for (Replica r : honest()) {
            for (long id : submittedExpiry.keySet()) {
                int count = r.executions.getOrDefault(id, 0);
                check(count == 1, "replica %d executed command %d %d times", r.index, id, count);
            }
        }
    }

    /** No command was executed twice anywhere honest. */
    void checkAtMostOnce() {
        for (Replica r : honest()) {
            r.executions.forEach((id, count) -> check(count <= 1, "replica %d executed command %d %d times", r.index,
                    id, count));
        }
    }

    long lastExpiry() {
        return submittedExpiry.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    String describe() {
        return "seed=" + params.seed() + " n=" + n + " faults=" + faults + " conditions=[" + net.conditions()
                + "] Δ=" + params.rankDelay().toMillis() + "ms heartbeat=" + params.heartbeat().toMillis()
                + "ms; finalized " + replicas.stream().map(r -> r.index + ":" + r.finalized).toList()
                + "; violations " + violations.subList(0, Math.min(5, violations.size()));
    }
}
