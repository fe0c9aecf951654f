package org.outcalls.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveNetworkTest {

    @Test
    void framesRunOnTheReceiversProtocolThreadNeverTheSenders() throws Exception {
        try (LiveNetwork net = Transports.live(3)) {
            List<String> threads = new CopyOnWriteArrayList<>();
            CountDownLatch got = new CountDownLatch(2);
            for (int i = 1; i < 3; i++) {
                net.transport(i).channel("c").receiver((from, f) -> {
                    threads.add(Thread.currentThread().getName());
                    got.countDown();
                });
            }
            CountDownLatch sent = new CountDownLatch(1);
            net.scheduler(0).execute(() -> {
                net.transport(0).channel("c").broadcast(new byte[] {1});
                sent.countDown();
            });
            assertTrue(sent.await(10, TimeUnit.SECONDS));
            assertTrue(got.await(10, TimeUnit.SECONDS));
            assertTrue(threads.contains("outcalls-replica-1") && threads.contains("outcalls-replica-2"), threads.toString());
        }
    }

    @Test
    void oneReplicasTasksAndFramesNeverRunConcurrently() throws Exception {
        try (LiveNetwork net = Transports.live(2)) {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(2000);
            Runnable body = () -> {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                Thread.onSpinWait();
                inside.decrementAndGet();
                done.countDown();
            };
            net.transport(1).channel("c").receiver((from, f) -> body.run());
            for (int i = 0; i < 1000; i++) {
                net.transport(0).channel("c").send(1, new byte[1]);
                net.scheduler(1).execute(body);
            }
            assertTrue(done.await(20, TimeUnit.SECONDS));
            assertEquals(0, overlaps.get());
        }
    }

    @Test
    void lossyConditionsDropSomeFramesAndPartitionsAll() throws Exception {
        try (LiveNetwork net = Transports.live(2, NetworkConditions.delay(Duration.ZERO, Duration.ofMillis(2)).withLoss(0.5), 9)) {
            AtomicInteger got = new AtomicInteger();
            net.transport(1).channel("c").receiver((from, f) -> got.incrementAndGet());
            for (int i = 0; i < 400; i++) {
                net.transport(0).channel("c").send(1, new byte[1]);
            }
            CountDownLatch flushed = new CountDownLatch(1);
            net.scheduler(1).schedule(Duration.ofMillis(200), flushed::countDown);
            assertTrue(flushed.await(10, TimeUnit.SECONDS));
            assertTrue(got.get() > 100 && got.get() < 300, "about half lost: " + got.get());
            net.conditions(NetworkConditions.perfect());
            net.crash(1);
            int before = got.get();
            net.transport(0).channel("c").send(1, new byte[1]);
            CountDownLatch later = new CountDownLatch(1);
            net.scheduler(1).schedule(Duration.ofMillis(50), later::countDown);
            assertTrue(later.await(10, TimeUnit.SECONDS));
            assertEquals(before, got.get());
        }
    }

    @Test
    void aFloodingSenderFillsOnlyItsOwnBoundedBacklogAndTheOthersAndTheReplicasTimersStillRun() throws Exception {
        int maxFrames = 16;
        try (LiveNetwork net = Transports.live(3, NetworkConditions.perfect(), 0, maxFrames, Transport.MAX_FRAME_BYTES)) {
            List<Integer> heard = new CopyOnWriteArrayList<>();
            net.transport(0).channel("c").receiver((from, f) -> heard.add(from));
            CountDownLatch release = new CountDownLatch(1);
            net.scheduler(0).execute(() -> {
                try {
                    release.await(20, TimeUnit.SECONDS); // replica 0's thread is busy: nothing drains
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 1000; i++) {
                net.transport(1).channel("c").send(0, new byte[1024]);
            }
            net.transport(2).channel("c").send(0, new byte[1]);
            Backlog flood = net.backlog(0, 1);
            assertEquals(new Backlog(maxFrames, maxFrames * 1024L, maxFrames * 1024L, 1000 - maxFrames), flood);
            assertEquals(1000 - maxFrames, net.framesDropped(), "dropped and counted");
            CountDownLatch timer = new CountDownLatch(1);
            net.scheduler(0).schedule(Duration.ZERO, timer::countDown); // the replica's own work is never refused
            release.countDown();
            assertTrue(timer.await(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (heard.size() < maxFrames + 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, heard.stream().filter(p -> p == 2).count(), "the other sender is heard");
            assertEquals(maxFrames, heard.stream().filter(p -> p == 1).count());
            assertEquals(0, net.backlog(0, 1).frames());
        }
    }

    @Test
    void afterCloseNothingRunsAndNothingThrows() {
        LiveNetwork net = Transports.live(2);
        net.close();
        AtomicInteger ran = new AtomicInteger();
        net.scheduler(0).execute(ran::incrementAndGet);
        net.scheduler(0).schedule(Duration.ZERO, ran::incrementAndGet).cancel();
        net.transport(0).channel("c").send(1, new byte[1]);
        assertEquals(0, ran.get());
    }
}
