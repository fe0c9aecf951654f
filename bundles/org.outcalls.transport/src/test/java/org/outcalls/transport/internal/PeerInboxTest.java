package org.outcalls.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.transport.Backlog;
import org.outcalls.transport.Scheduler;

class PeerInboxTest {
    /** A protocol thread the test runs by hand, one task at a time. */
    private static final class ManualThread implements Scheduler {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.addLast(task);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            tasks.addLast(task);
            return () -> tasks.remove(task);
        }

        boolean runOne() {
            Runnable t = tasks.pollFirst();
            if (t != null) {
                t.run();
            }
            return t != null;
        }

        void runAll() {
            while (runOne()) {
                // until idle
            }
        }
    }

    private final ManualThread thread = new ManualThread();
    private final List<String> delivered = new ArrayList<>();
    private final List<Integer> roomAgain = new ArrayList<>();

    private PeerInbox inbox(int maxFrames, long maxBytes) {
        return new PeerInbox(3, maxFrames, maxBytes, thread, (peer, channel, frame) -> delivered.add(peer + ":" + frame.length),
                roomAgain::add);
    }

    @Test
    void aPeersLaneIsBoundedInFramesAndBytesAndRefusalsAreCounted() {
        PeerInbox in = inbox(4, 1000);
        for (int i = 0; i < 4; i++) {
            assertTrue(in.offer(1, "c", new byte[10]));
        }
        assertFalse(in.offer(1, "c", new byte[10]), "a fifth frame does not fit");
        assertTrue(in.offer(2, "c", new byte[600]), "another peer's lane is its own");
        assertFalse(in.offer(2, "c", new byte[401]), "bytes are bounded too");
        assertEquals(new Backlog(4, 40, 40, 1), in.backlog(1));
        assertEquals(new Backlog(1, 600, 600, 1), in.backlog(2));
        thread.runAll();
        assertEquals(5, delivered.size());
        assertEquals(new Backlog(0, 0, 40, 1), in.backlog(1));
    }

    @Test
    void lanesTakeTurnsSoAFloodDelaysOthersByOneFrameAtMost() {
        PeerInbox in = inbox(100, 1 << 20);
        for (int i = 0; i < 50; i++) {
            in.offer(0, "c", new byte[1]);
        }
        in.offer(2, "c", new byte[2]);
        thread.runAll();
        assertEquals("0:1", delivered.get(0));
        assertEquals("2:2", delivered.get(1), "the other peer's frame comes second, not fifty-first");
    }

    @Test
    void oneDrainTaskAtATimeAndTheReplicasOwnTasksRunBetweenBatches() {
        PeerInbox in = inbox(1000, 1 << 20);
        for (int i = 0; i < 3 * PeerInbox.DRAIN_BATCH; i++) {
            in.offer(1, "c", new byte[1]);
        }
        assertEquals(1, thread.tasks.size(), "frames do not queue on the protocol thread one task each");
        List<String> order = new ArrayList<>();
        thread.execute(() -> order.add("own task after " + delivered.size()));
        thread.runOne(); // one batch
        assertEquals(PeerInbox.DRAIN_BATCH, delivered.size());
        thread.runOne(); // the replica's own task gets its turn before the next batch
        assertEquals(List.of("own task after " + PeerInbox.DRAIN_BATCH), order);
        thread.runAll();
        assertEquals(3 * PeerInbox.DRAIN_BATCH, delivered.size());
    }

    @Test
    void afterARefusalTheLaneSaysOnceThatItHasDrainedToHalf() {
        PeerInbox in = inbox(4, 1 << 20);
        for (int i = 0; i < 4; i++) {
            in.offer(1, "c", new byte[1]);
        }
        assertFalse(in.offer(1, "c", new byte[1]));
        assertTrue(thread.runOne());
        assertEquals(List.of(1), roomAgain, "told once, when two of four frames were left");
        in.offer(1, "c", new byte[1]);
        thread.runAll();
        assertEquals(List.of(1), roomAgain, "no refusal since: nothing more to say");
    }

    @Test
    void aReservationCountsUntilItsFrameIsHandledOrItIsReleased() {
        PeerInbox in = inbox(2, 100);
        assertTrue(in.reserve(1, 60));
        assertFalse(in.reserve(1, 60), "the bytes of a frame still being read are counted");
        in.release(1, 60); // a record cut off: its reservation goes back
        assertEquals(1, roomAgain.size());
        assertTrue(in.reserve(1, 60));
        in.enqueue(1, "c", new byte[55], 60);
        assertEquals(new Backlog(1, 60, 60, 1), in.backlog(1));
        thread.runAll();
        assertEquals(List.of("1:55"), delivered);
        assertEquals(new Backlog(0, 0, 60, 1), in.backlog(1));
    }

    @Test
    void aFailingReceiverCostsOnlyItsFrame() {
        List<String> got = new ArrayList<>();
        PeerInbox in = new PeerInbox(2, 10, 100, thread, (peer, channel, frame) -> {
            if (frame[0] == 0) {
                throw new IllegalStateException("receiver bug");
            }
            got.add(channel);
        }, p -> { });
        in.offer(1, "bad", new byte[] {0});
        in.offer(1, "good", new byte[] {1});
        thread.runAll();
        assertEquals(List.of("good"), got);
        assertEquals(0, in.backlog(1).frames());
    }
}
