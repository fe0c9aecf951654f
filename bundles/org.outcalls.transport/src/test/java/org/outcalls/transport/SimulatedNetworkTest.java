package org.outcalls.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {
    static final NetworkConditions ROUGH = new NetworkConditions(Duration.ofMillis(1), Duration.ofMillis(30), 0.2, 0.1,
            0.3, Duration.ofMillis(100));

    /** Every replica pings every other every 10 ms and records (virtual time, from, to, payload). */
    static List<String> trace(long seed) {
        SimulatedNetwork net = Transports.simulated(4, seed, ROUGH, 0);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int me = i;
            Channel c = net.transport(i).channel("test");
            c.receiver((from, frame) -> seen.add(net.now() + ":" + from + ">" + me + ":" + frame[0]));
            tick(net, c, me, 0);
        }
        net.runFor(Duration.ofSeconds(2));
        return seen;
    }

    private static void tick(SimulatedNetwork net, Channel c, int me, int k) {
        net.scheduler(me).schedule(Duration.ofMillis(10), () -> {
            c.broadcast(new byte[] {(byte) k});
            tick(net, c, me, k + 1);
        });
    }

    @Test
    void theSameSeedReplaysExactlyAndAnotherSeedDoesNot() {
        List<String> a = trace(11);
        assertTrue(a.size() > 1000, "frames were delivered");
        assertEquals(a, trace(11));
        assertNotEquals(a, trace(12));
    }

    @Test
    void lossDuplicationAndReorderingHappen() {
        SimulatedNetwork net = Transports.simulated(2, 3, ROUGH, 0);
        List<Integer> got = new ArrayList<>();
        net.transport(1).channel("c").receiver((from, f) -> got.add(f[0] & 0xFF));
        for (int i = 0; i < 200; i++) {
            int k = i;
            net.scheduler(0).schedule(Duration.ofMillis(i), () -> net.transport(0).channel("c").send(1, new byte[] {(byte) k}));
        }
        net.runFor(Duration.ofSeconds(5));
        long distinct = got.stream().distinct().count();
        assertTrue(distinct < 200 && distinct > 100, "some lost: " + distinct);
        assertTrue(got.size() > distinct, "some duplicated");
        boolean reordered = false;
        for (int i = 1; i < got.size(); i++) {
            reordered |= got.get(i) < got.get(i - 1);
        }
        assertTrue(reordered, "some overtaken");
        assertEquals(200, net.framesSent());
        assertEquals(got.size(), net.framesDelivered());
        assertEquals(200 - distinct, net.framesDropped(), "only lost frames are counted as dropped");
    }

    @Test
    void partitionsCutLinksUntilHealed() {
        SimulatedNetwork net = Transports.simulated(3, 1, NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(1)), 0);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int me = i;
            net.transport(i).channel("c").receiver((from, f) -> got.add(from + ">" + me));
        }
        net.partition(List.of(Set.of(0)));
        net.transport(0).channel("c").broadcast(new byte[1]);
        net.transport(1).channel("c").broadcast(new byte[1]);
        net.runFor(Duration.ofMillis(10));
        assertEquals(List.of("1>2"), got);
        net.heal();
        got.clear();
        net.transport(0).channel("c").broadcast(new byte[1]);
        net.runFor(Duration.ofMillis(10));
        assertEquals(List.of("0>1", "0>2"), got);
    }

    @Test
    void aCrashedReplicaHearsNothingAndItsTimersWaitForItsReturn() {
        SimulatedNetwork net = Transports.simulated(2, 1, NetworkConditions.delay(Duration.ofMillis(1), Duration.ofMillis(1)), 0);
        List<String> events = new ArrayList<>();
        net.transport(1).channel("c").receiver((from, f) -> events.add("frame@" + net.now() / 1_000_000));
        net.scheduler(1).schedule(Duration.ofMillis(5), () -> events.add("timer@" + net.now() / 1_000_000));
        net.crash(1);
        net.transport(0).channel("c").send(1, new byte[1]);
        net.runFor(Duration.ofMillis(100));
        assertEquals(List.of(), events);
        net.recover(1);
        net.runFor(Duration.ofMillis(1));
        assertEquals(List.of("timer@100"), events, "the frame was lost, the timer fires on return");
    }

    @Test
    void framesStayOnTheirChannelAndNeverLoopBack() {
        SimulatedNetwork net = Transports.simulated(2, 1, NetworkConditions.perfect(), 0);
        List<String> got = new ArrayList<>();
        net.transport(0).channel("a").receiver((from, f) -> got.add("0a"));
        net.transport(1).channel("b").receiver((from, f) -> got.add("1b"));
        net.transport(1).channel("a").receiver((from, f) -> got.add("1a"));
        net.transport(0).channel("a").broadcast(new byte[1]);
        net.transport(0).channel("a").send(0, new byte[1]);
        net.runFor(Duration.ofMillis(1));
        assertEquals(List.of("1a"), got);
        assertThrows(IllegalArgumentException.class,
                () -> net.transport(0).channel("a").send(1, new byte[Transport.MAX_FRAME_BYTES + 1]));
        assertThrows(IllegalArgumentException.class, () -> net.transport(0).channel("a").send(2, new byte[1]));
    }

    @Test
    void skewedClocksAndCancelledTimers() {
        SimulatedNetwork net = Transports.simulated(2, 1, NetworkConditions.perfect(), 1000);
        net.clockSkew(1, Duration.ofNanos(-500));
        assertEquals(1000, net.clock(0).nanos());
        assertEquals(500, net.clock(1).nanos());
        List<String> fired = new ArrayList<>();
        Scheduler.Cancellable c = net.scheduler(0).schedule(Duration.ofMillis(1), () -> fired.add("x"));
        c.cancel();
        net.runFor(Duration.ofMillis(5));
        assertEquals(List.of(), fired);
    }

    @Test
    void anExceptionInProtocolCodeStopsTheRunWithTheSeed() {
        SimulatedNetwork net = Transports.simulated(1, 77, NetworkConditions.perfect(), 0);
        net.scheduler(0).execute(() -> {
            throw new IllegalStateException("boom");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.runFor(Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("seed 77"), e.getMessage());
    }
}
