package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.Consensus;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.ConsensusMetrics;
import org.outcalls.consensus.CounterSection;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.Channel;
import org.outcalls.transport.NetworkConditions;
import org.outcalls.transport.SimulatedNetwork;
import org.outcalls.transport.Transports;

/**
 * One attacker (replica 3 of 4, not running consensus) sends replica 0 one forgery of each kind;
 * each must be rejected (counted as invalid or undecodable) and change nothing.
 */
class ForgeryRejectionTest {
    static final byte[] SUBNET = "forgery".getBytes(StandardCharsets.UTF_8);
    SimulatedNetwork net;
    List<NodeKey> keys = new ArrayList<>();
    List<PublicKey> members = new ArrayList<>();
    List<Consensus> consensus = new ArrayList<>();
    List<Block> finalizedAt0 = new ArrayList<>();
    Channel attacker;
    Ranking ranking;
    CounterSection ingress0;
    Block tip;
    long round;

    @BeforeEach
    void setUp() {
        net = Transports.simulated(4, 5, NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(2)),
                1_700_000_000_000_000_000L);
        for (int i = 0; i < 4; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            keys.add(NodeKey.fromSeed(seed));
            members.add(keys.get(i).publicKey());
        }
        for (int i = 0; i < 3; i++) {
            // An hour of heartbeat: with no work the chain stands still, so forgeries target a known round.
            ConsensusConfig c = new ConsensusConfig(SUBNET, members, i, keys.get(i), Duration.ofMillis(50),
                    Duration.ofHours(1), Duration.ofMillis(500), 16, FaultMode.NONE);
            CounterSection section = new CounterSection(net.transport(i).channel("ingress"));
            int me = i;
            Consensus k = new Consensus(c, net.transport(i).channel("consensus"), List.of(section), fb -> {
                if (me == 0) {
                    finalizedAt0.add(fb.block());
                }
            }, net.clock(i), net.scheduler(i));
            section.onWork(k::workAvailable);
            consensus.add(k);
            if (i == 0) {
                ingress0 = section;
            }
        }
        attacker = net.transport(3).channel("consensus");
        ranking = new Ranking(SUBNET, 4);
        consensus.forEach(Consensus::start);
        ingress0.submit(new CounterSection.Command(1, 20, 1));
        net.runFor(Duration.ofSeconds(20));
        assertTrue(consensus.get(0).finalizedHeight() >= 1, "the honest replicas made progress");
        // The section keeps saying it has work (this test never tells it what was executed), but
        // its payloads come out empty: no empty blocks back to back, the heartbeat rules.
        assertTrue(consensus.get(0).finalizedHeight() <= 5, "blocks without work (at most one per maker): " + consensus.get(0).finalizedHeight());
        assertEquals(consensus.get(0).finalizedHeight(), consensus.get(0).notarizedHeight(), "idle at a finalized height");
        tip = finalizedAt0.get(finalizedAt0.size() - 1);
        round = tip.height() + 1;
    }

    private Hash tipHash() {
        return consensus.get(0).finalizedHash(tip.height());
    }

    private Block block(int maker, int rank, long time, TreeMap<String, byte[]> payload) {
        return new Block(round, tipHash(), rank, maker, time, payload);
    }

    private Block validLooking() {
        return block(3, ranking.rankOf(round, 3), tip.time() + 1_000_000, new TreeMap<>());
    }

    private byte[] proposal(Block b, NodeKey signer, Domain domain) {
        Hash h = b.hash();
        return Wire.proposal(b, h, signer.sign(domain, Wire.proposalBody(SUBNET, round, h))).frame();
    }

    private void expectRejected(String what, Supplier<byte[]> frame, boolean undecodable) {
        ConsensusMetrics before = consensus.get(0).metrics();
        attacker.send(0, frame.get());
        net.runFor(Duration.ofMillis(200));
        ConsensusMetrics after = consensus.get(0).metrics();
        if (undecodable) {
            assertEquals(before.undecodableFrames() + 1, after.undecodableFrames(), what);
            assertEquals(before.invalidArtifacts(), after.invalidArtifacts(), what);
        } else {
            assertEquals(before.invalidArtifacts() + 1, after.invalidArtifacts(), what);
        }
        assertEquals(before.finalizedHeight(), after.finalizedHeight(), what + " changed the chain");
        assertEquals(before.notarizedHeight(), after.notarizedHeight(), what + " changed the chain");
    }

    @Test
    void aValidBlockOfTheAttackerIsAcceptedSoTheForgeriesBelowDifferOnlyInTheirFlaw() {
        ConsensusMetrics before = consensus.get(0).metrics();
        attacker.send(0, proposal(validLooking(), keys.get(3), Domain.BLOCK_PROPOSAL));
        net.runFor(Duration.ofMillis(200));
        assertEquals(before.invalidArtifacts(), consensus.get(0).metrics().invalidArtifacts());
        assertTrue(consensus.get(0).describe().contains("maker=3"), consensus.get(0).describe());
    }

    @Test
    void everyKindOfForgeryIsRejected() {
        NodeKey mine = keys.get(3);
        int myRank = ranking.rankOf(round, 3);
        long time = tip.time() + 1_000_000;
        expectRejected("garbage", () -> new byte[] {1, 2, 3, 4, 5}, true);
        expectRejected("unknown wire version", () -> new byte[] {9, 1}, true);
        expectRejected("truncated proposal", () -> {
            byte[] f = proposal(validLooking(), mine, Domain.BLOCK_PROPOSAL);
            return java.util.Arrays.copyOf(f, f.length - 3);
        }, true);
        expectRejected("trailing bytes", () -> {
            byte[] f = proposal(validLooking(), mine, Domain.BLOCK_PROPOSAL);
            return java.util.Arrays.copyOf(f, f.length + 1);
        }, true);
        expectRejected("wrong rank", () -> proposal(block(3, (myRank + 1) % 4, time, new TreeMap<>()), mine,
                Domain.BLOCK_PROPOSAL), false);
        expectRejected("signature of another kind of message (domain separation)",
                () -> proposal(validLooking(), mine, Domain.NOTARIZATION_SHARE), false);
        expectRejected("garbage signature", () -> {
            Block b = validLooking();
            return Wire.proposal(b, b.hash(), new byte[64]).frame();
        }, false);
        expectRejected("block in another maker's name", () -> proposal(block(1, ranking.rankOf(round, 1), time,
                new TreeMap<>()), mine, Domain.BLOCK_PROPOSAL), false);
        expectRejected("time not after the parent's", () -> proposal(block(3, myRank, tip.time(), new TreeMap<>()),
                mine, Domain.BLOCK_PROPOSAL), false);
        expectRejected("invalid payload", () -> {
            TreeMap<String, byte[]> p = new TreeMap<>();
            p.put(CounterSection.NAME, new byte[] {0, 0, 0, 1, 7});
            return proposal(block(3, myRank, time, p), mine, Domain.BLOCK_PROPOSAL);
        }, false);
        expectRejected("expired command in the payload", () -> {
            TreeMap<String, byte[]> p = new TreeMap<>();
            p.put(CounterSection.NAME, CounterSection.encode(List.of(new CounterSection.Command(99, round - 1, 1))));
            return proposal(block(3, myRank, time, p), mine, Domain.BLOCK_PROPOSAL);
        }, false);
        expectRejected("unknown payload section", () -> {
            TreeMap<String, byte[]> p = new TreeMap<>();
            p.put("nonsense", new byte[] {1});
            return proposal(block(3, myRank, time, p), mine, Domain.BLOCK_PROPOSAL);
        }, false);
        Hash target = validLooking().hash();
        expectRejected("share with a garbage signature", () -> Wire.share(Wire.NOTARIZATION_SHARE, round, target, 3,
                new byte[64]).frame(), false);
        expectRejected("share in another replica's name", () -> Wire.share(Wire.NOTARIZATION_SHARE, round, target, 1,
                mine.sign(Domain.NOTARIZATION_SHARE, Wire.notarizationBody(SUBNET, round, target))).frame(), false);
        expectRejected("notarization signature used as a finalization share", () -> Wire.share(Wire.FINALIZATION_SHARE,
                round, target, 3, mine.sign(Domain.NOTARIZATION_SHARE, Wire.notarizationBody(SUBNET, round, target)))
                .frame(), false);
        expectRejected("share of a signer outside the subnet", () -> Wire.share(Wire.NOTARIZATION_SHARE, round, target,
                9, mine.sign(Domain.NOTARIZATION_SHARE, Wire.notarizationBody(SUBNET, round, target))).frame(), false);
        expectRejected("share for another subnet", () -> Wire.share(Wire.NOTARIZATION_SHARE, round, target, 3,
                mine.sign(Domain.NOTARIZATION_SHARE, Wire.notarizationBody("other".getBytes(StandardCharsets.UTF_8),
                        round, target))).frame(), false);
        expectRejected("finalization with one forged signature", () -> {
            TreeMap<Integer, byte[]> sigs = new TreeMap<>();
            sigs.put(3, mine.sign(Domain.FINALIZATION_SHARE, Wire.finalizationBody(SUBNET, round, target)));
            sigs.put(1, new byte[64]);
            sigs.put(2, new byte[64]);
            return Wire.aggregate(Wire.FINALIZATION, round, target, sigs).frame();
        }, false);
        expectRejected("notarization with too few signers", () -> {
            TreeMap<Integer, byte[]> sigs = new TreeMap<>();
            sigs.put(3, mine.sign(Domain.NOTARIZATION_SHARE, Wire.notarizationBody(SUBNET, round, target)));
            return Wire.aggregate(Wire.NOTARIZATION, round, target, sigs).frame();
        }, false);
        // None of it was finalized, and honest progress resumes when there is work.
        assertNotEquals(0, consensus.get(0).metrics().invalidArtifacts());
        long at = consensus.get(0).finalizedHeight();
        ingress0.submit(new CounterSection.Command(2, at + 10, 1));
        net.runFor(Duration.ofSeconds(5));
        assertTrue(consensus.get(0).finalizedHeight() > at);
        for (Block b : finalizedAt0) {
            assertNotEquals(3, b.maker(), "a block of the attacker was finalized");
        }
    }

    @Test
    void aBlockFromTheFutureWaitsUntilItsTimeComes() {
        Block future = block(3, ranking.rankOf(round, 3), net.now() + Duration.ofMinutes(10).toNanos(), new TreeMap<>());
        ConsensusMetrics before = consensus.get(0).metrics();
        attacker.send(0, proposal(future, keys.get(3), Domain.BLOCK_PROPOSAL));
        net.runFor(Duration.ofSeconds(10));
        assertEquals(before.invalidArtifacts(), consensus.get(0).metrics().invalidArtifacts(), "not invalid, only early");
        assertTrue(!consensus.get(0).describe().contains("maker=3"), "accepted ten minutes early");
        net.runFor(Duration.ofMinutes(10));
        assertTrue(consensus.get(0).describe().contains("maker=3") || consensus.get(0).finalizedHeight() > tip.height(),
                "accepted once its time came: " + consensus.get(0).describe());
    }

    @Test
    void aReplayedShareIsDroppedWithoutBlame() {
        Hash target = validLooking().hash();
        byte[] share = Wire.share(Wire.NOTARIZATION_SHARE, round, target, 3,
                keys.get(3).sign(Domain.NOTARIZATION_SHARE, Wire.notarizationBody(SUBNET, round, target))).frame();
        ConsensusMetrics before = consensus.get(0).metrics();
        for (int i = 0; i < 50; i++) {
            attacker.send(0, share);
        }
        net.runFor(Duration.ofMillis(200));
        assertEquals(before.invalidArtifacts(), consensus.get(0).metrics().invalidArtifacts());
    }
}
