package org.outcalls.consensus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.transport.NetworkConditions;

/**
 * Seeded random runs: up to f Byzantine replicas in random fault modes, random delay, loss,
 * duplication and reordering, partitions and crashes of honest replicas (any number: crashes
 * never excuse a safety violation), then a period of calm. Safety must hold throughout every run
 * and progress must resume once the network heals. A failing run prints its seed; replay it with
 * {@code -Dconsensus.seed=<seed>}. {@code -Dconsensus.seeds=N} runs N seeds (default 200) from
 * {@code -Dconsensus.firstSeed} (default 0).
 */
class RandomScheduleTest {
    static final String ONE = System.getProperty("consensus.seed");
    static final int SEEDS = Integer.getInteger("consensus.seeds", 200);
    static final long FIRST = Long.getLong("consensus.firstSeed", 0);
    static final FaultMode[] MODES = {FaultMode.CRASH, FaultMode.SILENT, FaultMode.EQUIVOCATE, FaultMode.FORGE};

    @Test
    void safetyHoldsAndProgressResumesInEveryRandomSchedule() {
        List<Long> seeds = new ArrayList<>();
        if (ONE != null) {
            seeds.add(Long.parseLong(ONE));
        } else {
            for (long s = FIRST; s < FIRST + SEEDS; s++) {
                seeds.add(s);
            }
        }
        long heights = 0;
        long started = System.nanoTime();
        for (long seed : seeds) {
            heights += runOne(seed);
        }
        System.out.printf("%d random schedules, %d heights finalized in total, %d ms%n", seeds.size(), heights,
                (System.nanoTime() - started) / 1_000_000);
    }

    static long runOne(long seed) {
        Random rnd = new Random(seed * 7919 + 17);
        int n = rnd.nextInt(10) < 7 ? 4 : 7;
        int f = (n - 1) / 3;
        Map<Integer, FaultMode> faults = new TreeMap<>();
        int byzantine = rnd.nextInt(f + 1);
        while (faults.size() < byzantine) {
            faults.put(rnd.nextInt(n), MODES[rnd.nextInt(MODES.length)]);
        }
        long minDelay = rnd.nextInt(5);
        NetworkConditions chaos = new NetworkConditions(Duration.ofMillis(minDelay),
                Duration.ofMillis(minDelay + 1 + rnd.nextInt(80)), rnd.nextDouble() * 0.25, rnd.nextDouble() * 0.1,
                rnd.nextDouble() * 0.3, Duration.ofMillis(rnd.nextInt(200)));
        TestSubnet.Params p = TestSubnet.Params.of(n, seed).faults(faults).conditions(chaos)
                .timing(Duration.ofMillis(20 + rnd.nextInt(130)), Duration.ofMillis(200 + rnd.nextInt(600)));
        TestSubnet s = new TestSubnet(p);
        List<Integer> honest = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!faults.containsKey(i)) {
                honest.add(i);
            }
        }
        Set<Integer> crashed = new HashSet<>();
        List<String> log = new ArrayList<>();
        try {
            s.start();
            long chaosEnd = 8_000 + rnd.nextInt(12_000);
            for (long t = 0; t < chaosEnd && s.violations.isEmpty(); ) {
                long step = 500 + rnd.nextInt(2500);
                s.runFor(Duration.ofMillis(step));
                t += step;
                int what = rnd.nextInt(10);
                if (what < 3) {
                    s.submit(honest.get(rnd.nextInt(honest.size())), 1 + rnd.nextInt(9));
                } else if (what < 5) {
                    Set<Integer> side = new HashSet<>();
                    for (int i = 0; i < n; i++) {
                        if (rnd.nextBoolean()) {
                            side.add(i);
                        }
                    }
                    s.net.partition(List.of(side));
                    log.add(t + "ms partition " + side);
                } else if (what < 7) {
                    s.net.heal();
                    log.add(t + "ms heal");
                } else if (what < 8) {
                    int victim = honest.get(rnd.nextInt(honest.size()));
                    s.net.crash(victim);
                    crashed.add(victim);
                    log.add(t + "ms crash " + victim);
                } else if (what < 9 && !crashed.isEmpty()) {
                    int back = crashed.iterator().next();
                    s.net.recover(back);
                    crashed.remove(back);
                    log.add(t + "ms recover " + back);
                }
            }
            // Calm: the network heals, crashed replicas return, links get better (not perfect).
            s.net.heal();
            for (int c : crashed) {
                s.net.recover(c);
            }
            s.net.conditions(new NetworkConditions(Duration.ofMillis(1), Duration.ofMillis(20), Math.min(0.05,
                    chaos.loss()), chaos.duplication(), chaos.reordering(), Duration.ofMillis(50)));
            long target = s.maxHonestFinalized() + 10;
            boolean progressed = s.runUntil(() -> s.minHonestFinalized() >= target, Duration.ofMinutes(10));
            s.checkAtMostOnce();
            if (!s.violations.isEmpty()) {
                fail("SAFETY violated; replay with -Dconsensus.seed=" + seed + ": " + s.describe() + " events " + log);
            }
            if (!progressed && ONE != null) {
                s.replicas.forEach(r -> System.out.println(r.consensus.describe()));
            }
            assertTrue(progressed, "no progress after the network healed; replay with -Dconsensus.seed=" + seed + ": "
                    + s.describe() + " events " + log);
            return s.minHonestFinalized();
        } catch (RuntimeException e) {
            throw new AssertionError("run failed; replay with -Dconsensus.seed=" + seed + ": " + s.describe(), e);
        }
    }
}
