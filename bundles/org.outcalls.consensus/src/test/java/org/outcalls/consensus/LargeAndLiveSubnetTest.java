package org.outcalls.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.Transports;

class LargeAndLiveSubnetTest {

    @Test
    void thirteenReplicasWithFourByzantineAgreeAndProgress() {
        Map<Integer, FaultMode> faults = Map.of(0, FaultMode.EQUIVOCATE, 4, FaultMode.FORGE, 8, FaultMode.SILENT,
                12, FaultMode.CRASH);
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(13, 1313).faults(faults));
        s.start();
        List<TestSubnet.Replica> honest = s.honest();
        for (int i = 0; i < 13; i++) {
            s.submit(honest.get(i % honest.size()).index, 1);
            s.runUntil(() -> false, Duration.ofMillis(200));
        }
        assertTrue(s.runUntilHonestAt(Math.max(25, s.lastExpiry() + 1), Duration.ofMinutes(10)), s.describe());
        s.checkExactlyOnce();
        assertTrue(s.violations.isEmpty(), s.describe());
        for (TestSubnet.Replica r : honest) {
            assertEquals(13, r.value);
        }
    }

    @Test
    void anIdleSubnetMakesOneBlockPerHeartbeatAndDoesNotSpin() {
        TestSubnet s = new TestSubnet(TestSubnet.Params.of(4, 55).timing(Duration.ofMillis(100), Duration.ofSeconds(1)));
        s.start();
        s.runFor(Duration.ofSeconds(60));
        long heights = s.minHonestFinalized();
        assertTrue(heights >= 50 && heights <= 61, "about one block per heartbeat: " + heights);
        long eventsPerHeight = s.net.eventsRun() / heights;
        // per height: one proposal, n notarization shares, n finalization shares, each to n−1 peers, and a few timers
        assertTrue(eventsPerHeight < 60, "events per height: " + eventsPerHeight);
        // Work arrives: it is finalized within a few network delays, not a heartbeat.
        long before = s.net.now();
        long id = s.submit(1, 7);
        assertTrue(s.runUntil(() -> s.replicas.stream().allMatch(r -> r.executions.containsKey(id)), Duration.ofSeconds(5)));
        long took = (s.net.now() - before) / 1_000_000;
        assertTrue(took < 500, "a command waited " + took + " ms of virtual time (heartbeat 1000 ms)");
    }

    /** The same code on real threads: n = 4 replicas, each on its own protocol thread. */
    @Test
    void aLiveSubnetOnRealThreadsAgrees() throws Exception {
        int n = 4;
        List<NodeKey> keys = new ArrayList<>();
        List<PublicKey> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(NodeKey.fromSeed(Hash.sha256(ByteBuffer.allocate(8).putLong(1000 + i).array()).bytes()));
            members.add(keys.get(i).publicKey());
        }
        Map<Long, Hash> agreed = new ConcurrentHashMap<>();
        List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        int commands = 20;
        CountDownLatch executed = new CountDownLatch(n * commands);
        List<Consensus> all = new ArrayList<>();
        List<CounterSection> sections = new ArrayList<>();
        try (LiveNetwork net = Transports.live(n)) {
            for (int i = 0; i < n; i++) {
                int me = i;
                CounterSection section = new CounterSection(net.transport(i).channel("ingress"));
                long[] last = {0};
                ConsensusConfig config = new ConsensusConfig(TestSubnet.SUBNET, members, i, keys.get(i),
                        Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(500), 64, FaultMode.NONE);
                Consensus c = new Consensus(config, net.transport(i).channel("consensus"), List.of(section), fb -> {
                    if (fb.height() != last[0] + 1) {
                        problems.add("replica " + me + " got " + fb.height() + " after " + last[0]);
                    }
                    last[0] = fb.height();
                    Hash h = fb.block().hash();
                    Hash first = agreed.putIfAbsent(fb.height(), h);
                    if (first != null && !first.equals(h)) {
                        problems.add("fork at " + fb.height());
                    }
                    try {
                        List<CounterSection.Command> cmds = CounterSection.decode(fb.block().payloadOf(CounterSection.NAME));
                        cmds.forEach(x -> executed.countDown());
                        section.executed(cmds);
                    } catch (org.outcalls.crypto.DecodeException e) {
                        if (fb.block().payloadOf(CounterSection.NAME).length > 0) {
                            problems.add("undecodable payload");
                        }
                    }
                }, net.clock(i), net.scheduler(i));
                section.onWork(c::workAvailable);
                all.add(c);
                sections.add(section);
            }
            all.forEach(Consensus::start);
            for (int k = 0; k < commands; k++) {
                int target = k % n;
                long id = k + 1;
                // ingress arrives on the replica's protocol thread, as the gateway will hand it over
                net.scheduler(target).execute(() -> sections.get(target).submit(
                        new CounterSection.Command(id, all.get(target).finalizedHeight() + 30, 1)));
            }
            // A generous guard against hanging, not a speed assertion.
            assertTrue(executed.await(60, TimeUnit.SECONDS), "every replica executed every command; left "
                    + executed.getCount());
            all.forEach(Consensus::stop);
        }
        assertEquals(List.of(), problems);
        long h = all.stream().mapToLong(Consensus::finalizedHeight).min().orElse(0);
        for (Consensus c : all) {
            for (long k = 1; k <= h; k++) {
                assertEquals(agreed.get(k), c.finalizedHash(k));
            }
        }
    }
}
