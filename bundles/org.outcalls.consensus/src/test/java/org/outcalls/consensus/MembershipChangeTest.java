package org.outcalls.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.SimulatedNetwork;
import org.outcalls.transport.Transports;

/**
 * Committees that change at an agreed height on the simulated network: who may make blocks and
 * sign switches at that height on every replica, the threshold follows n, a replaced key's
 * signatures stop counting, and a replica that cannot know a height's members yet (they are decided
 * {@link #DELAY} heights before, by its own finalized chain) waits instead of guessing.
 */
class MembershipChangeTest {
    static final byte[] SUBNET = "membership".getBytes();
    static final long START = 1_700_000_000_000_000_000L;
    static final long SWITCH = 40;
    static final int DELAY = 8;

    final List<NodeKey> keys = new ArrayList<>();
    final Map<Long, Hash> agreed = new HashMap<>();
    final Map<Long, FinalityProof> proofs = new HashMap<>();
    final Map<Long, Integer> makers = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    SimulatedNetwork net;
    final long[] finalized = new long[8];

    NodeKey key(int i) {
        return NodeKey.fromSeed(Hash.sha256(ByteBuffer.allocate(8).putLong(i).array()).bytes());
    }

    List<PublicKey> keysOf(int... ids) {
        List<PublicKey> out = new ArrayList<>();
        for (int id : ids) {
            out.add(key(id).publicKey());
        }
        return out;
    }

    /** Replica at transport slot {@code slot} signing as {@code keyId}, index {@code self} in {@code configured}. */
    Consensus replica(int slot, int keyId, int self, List<PublicKey> configured, List<PublicKey> before,
                      List<PublicKey> after) {
        ConsensusConfig c = new ConsensusConfig(SUBNET, configured, self, key(keyId), Duration.ofMillis(100),
                Duration.ofMillis(300), Duration.ofMillis(500), 16, FaultMode.NONE);
        // known only DELAY heights above what this replica finalized (executed): it must wait, not guess
        Membership m = h -> h > finalized[slot] + DELAY ? null : h < SWITCH ? before : after;
        CounterSection section = new CounterSection(net.transport(slot).channel("ingress"));
        Consensus consensus = new Consensus(c, net.transport(slot).channel("consensus"), List.of(section),
                fb -> onFinalized(slot, fb, h -> h < SWITCH ? before : after), net.clock(slot), net.scheduler(slot), null,
                m);
        section.onWork(consensus::workAvailable);
        return consensus;
    }

    private void onFinalized(int slot, FinalizedBlock fb, java.util.function.LongFunction<List<PublicKey>> members) {
        long h = fb.height();
        finalized[slot] = h;
        Hash first = agreed.putIfAbsent(h, fb.block().hash());
        if (first != null && !first.equals(fb.block().hash())) {
            violations.add("fork at " + h);
        }
        makers.put(h, fb.block().maker());
        try {
            FinalityProof p = FinalityProof.decode(fb.finalizationProof());
            if (p.height() == h) {
                proofs.put(h, p);
                if (!p.verify(SUBNET, members.apply(h))) {
                    violations.add("proof at " + h + " does not verify against the members there");
                }
            }
        } catch (DecodeException e) {
            violations.add("proof at " + h + ": " + e.getMessage());
        }
    }

    @Test
    void growingFromFourToFiveSwitchesMakersSignersAndThresholdAtTheAgreedHeight() {
        net = Transports.simulated(5, 7, NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(5)), START);
        List<PublicKey> four = keysOf(0, 1, 2, 3);
        List<PublicKey> five = keysOf(0, 1, 2, 3, 4);
        List<Consensus> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(replica(i, i, i, four, four, five));
        }
        all.add(replica(4, 4, 4, five, four, five)); // the new member: configured with the members it joins
        all.forEach(Consensus::start);
        assertTrue(net.runUntil(() -> !violations.isEmpty() || min(5) >= SWITCH + 60, Duration.ofMinutes(10)),
                "finalized " + java.util.Arrays.toString(finalized));
        assertEquals(List.of(), violations);
        for (long h = 1; h < SWITCH; h++) {
            assertFalse(makers.get(h) == 4, "member 4 made block " + h + " before the switch");
        }
        assertTrue(makers.entrySet().stream().anyMatch(e -> e.getKey() >= SWITCH && e.getValue() == 4),
                "member 4 makes blocks from the switch on");
        assertTrue(signersFrom(SWITCH).contains(4), "member 4 signs finalizations from the switch on");
        assertFalse(signersBelow(SWITCH).contains(4));
        proofs.forEach((h, p) -> assertTrue(p.signatures().size() >= (h < SWITCH ? 3 : 4), "threshold at " + h));
    }

    @Test
    void aReplacedKeyNoLongerCountsAndTheNewKeyTakesItsIndex() {
        net = Transports.simulated(6, 11, NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(5)), START);
        List<PublicKey> before = keysOf(0, 1, 2, 3);
        List<PublicKey> after = keysOf(0, 1, 9, 3); // member 2 gets key 9 (a new host)
        List<Consensus> all = new ArrayList<>();
        for (int i : new int[] {0, 1, 3}) {
            all.add(replica(i, i, i, before, before, after));
        }
        Consensus old = replica(5, 2, 2, before, before, after); // the old host of member 2 keeps running
        all.add(old);
        Consensus replacement = replica(2, 9, 2, after, before, after);
        all.add(replacement);
        all.forEach(Consensus::start);
        assertTrue(net.runUntil(() -> !violations.isEmpty() || Math.min(min(2), finalized[5]) >= SWITCH + 60,
                Duration.ofMinutes(10)), "finalized " + java.util.Arrays.toString(finalized));
        assertEquals(List.of(), violations);
        // every finalization verifies against the members of its height (checked on delivery): index 2's
        // signature is the old key's below the switch and the new key's from it on
        assertTrue(signersFrom(SWITCH).contains(2), "the new key signs for index 2 after the switch");
        assertTrue(signersBelow(SWITCH).contains(2), "the old key signed for index 2 before it");
    }

    @Test
    void shrinkingFromFiveToFourLeavesTheRemovedMemberOut() {
        net = Transports.simulated(5, 13, NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(5)), START);
        List<PublicKey> five = keysOf(0, 1, 2, 3, 4);
        List<PublicKey> four = keysOf(0, 1, 2, 3);
        List<Consensus> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(replica(i, i, i, five, five, four));
        }
        all.forEach(Consensus::start);
        assertTrue(net.runUntil(() -> !violations.isEmpty() || min(4) >= SWITCH + 60, Duration.ofMinutes(10)),
                "finalized " + java.util.Arrays.toString(finalized));
        assertEquals(List.of(), violations);
        assertFalse(signersFrom(SWITCH).contains(4), "the removed member signs nothing that counts from the switch on");
        assertTrue(makers.entrySet().stream().noneMatch(e -> e.getKey() >= SWITCH && e.getValue() == 4));
        assertTrue(finalized[4] >= SWITCH + 40, "the removed replica still follows the chain: " + finalized[4]);
    }

    private long min(int count) {
        long m = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            m = Math.min(m, finalized[i]);
        }
        return m;
    }

    private Set<Integer> signersFrom(long height) {
        Set<Integer> s = new TreeSet<>();
        proofs.forEach((h, p) -> {
            if (h >= height) {
                s.addAll(p.signatures().keySet());
            }
        });
        return s;
    }

    private Set<Integer> signersBelow(long height) {
        Set<Integer> s = new TreeSet<>();
        proofs.forEach((h, p) -> {
            if (h < height) {
                s.addAll(p.signatures().keySet());
            }
        });
        return s;
    }
}
