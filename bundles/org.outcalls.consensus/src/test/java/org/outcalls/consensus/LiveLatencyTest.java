package org.outcalls.consensus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.Transports;

/**
 * Measures (prints, does not assert) how long a command takes from submission to execution on
 * every replica of a live n = 4 subnet in this JVM: the consensus part of an outcall's latency.
 */
class LiveLatencyTest {

    @Test
    void measureCommandLatencyAtNEquals4() throws Exception {
        int n = 4;
        int rounds = Integer.getInteger("consensus.latency.commands", 100);
        List<NodeKey> keys = new ArrayList<>();
        List<PublicKey> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(NodeKey.fromSeed(Hash.sha256(ByteBuffer.allocate(8).putLong(2000 + i).array()).bytes()));
            members.add(keys.get(i).publicKey());
        }
        Map<Long, CountDownLatch> waiting = new ConcurrentHashMap<>();
        List<Consensus> all = new ArrayList<>();
        List<CounterSection> sections = new ArrayList<>();
        long[] micros = new long[rounds];
        try (LiveNetwork net = Transports.live(n)) {
            for (int i = 0; i < n; i++) {
                CounterSection section = new CounterSection(net.transport(i).channel("ingress"));
                ConsensusConfig config = new ConsensusConfig(TestSubnet.SUBNET, members, i, keys.get(i),
                        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500), 64, FaultMode.NONE);
                Consensus c = new Consensus(config, net.transport(i).channel("consensus"), List.of(section), fb -> {
                    byte[] p = fb.block().payloadOf(CounterSection.NAME);
                    if (p.length == 0) {
                        return;
                    }
                    try {
                        List<CounterSection.Command> cmds = CounterSection.decode(p);
                        section.executed(cmds);
                        for (CounterSection.Command cmd : cmds) {
                            waiting.get(cmd.id()).countDown();
                        }
                    } catch (DecodeException e) {
                        throw new IllegalStateException(e);
                    }
                }, net.clock(i), net.scheduler(i));
                section.onWork(c::workAvailable);
                all.add(c);
                sections.add(section);
            }
            all.forEach(Consensus::start);
            for (int k = 0; k < rounds; k++) {
                long id = k + 1;
                int target = k % n;
                CountDownLatch done = new CountDownLatch(n);
                waiting.put(id, done);
                long t0 = System.nanoTime();
                net.scheduler(target).execute(() -> sections.get(target).submit(
                        new CounterSection.Command(id, all.get(target).finalizedHeight() + 30, 1)));
                assertTrue(done.await(30, TimeUnit.SECONDS), "command " + id + " executed everywhere");
                micros[k] = (System.nanoTime() - t0) / 1000;
            }
            all.forEach(Consensus::stop);
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf("live n=4, %d commands one at a time, submit → executed on all 4: median %.2f ms, p90 %.2f ms, max %.2f ms%n",
                rounds, sorted[rounds / 2] / 1000.0, sorted[rounds * 9 / 10] / 1000.0, sorted[rounds - 1] / 1000.0);
    }
}
