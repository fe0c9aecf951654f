package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;

class ContentServingTest {
    private static final long MS = 1_000_000L;
    private static final Hash H = Hash.sha256(new byte[] {1});

    /** What the replica sends, by peer. */
    private static final class Sent implements Channel {
        final List<String> frames = new ArrayList<>();

        @Override
        public void send(int peer, byte[] frame) {
            try {
                OutcallFrames.Frame f = OutcallFrames.decode(frame);
                frames.add(peer + ":" + f.callbackId() + ":" + f.content().length);
            } catch (DecodeException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void broadcast(byte[] frame) {
            throw new AssertionError("contents are sent to the peer that asked");
        }

        @Override
        public void receiver(FrameReceiver receiver) {
        }
    }

    @Test
    void aReplayWithinTheWindowIsNotAnsweredButAnHonestRetryIs() {
        Sent sent = new Sent();
        ContentServing s = new ContentServing(0, 4, sent);
        for (int i = 0; i < 100; i++) {
            s.answer(1, 7, H, new byte[10], i * MS);
        }
        assertEquals(List.of("1:7:10"), sent.frames);
        s.answer(2, 7, H, new byte[10], 0);
        s.answer(1, 7, H, new byte[10], 500 * MS); // the block maker asks again after 500 ms
        assertEquals(List.of("1:7:10", "2:7:10", "1:7:10"), sent.frames);
        assertEquals(99, s.refused());
    }

    @Test
    void largeContentsStopAtTheByteBudgetAndComeBackAtItsRate() {
        Sent sent = new Sent();
        ContentServing s = new ContentServing(0, 4, sent);
        int content = 2_000_000;
        for (long cb = 0; cb < 20; cb++) {
            s.answer(1, cb, H, new byte[content], 0);
        }
        long burst = ContentServing.LIMITS.burstBytes() / content;
        assertEquals(burst, sent.frames.size(), "16 MiB at once: eight of the largest contents");
        s.answer(1, 100, H, new byte[content], 1000 * MS);
        s.answer(1, 101, H, new byte[content], 1000 * MS);
        s.answer(1, 102, H, new byte[content], 1000 * MS);
        s.answer(1, 103, H, new byte[content], 1000 * MS);
        s.answer(1, 104, H, new byte[content], 1000 * MS);
        assertEquals(burst + 4, sent.frames.size(), "8 MiB a second later: four more");
    }

    @Test
    void aContentThisReplicaDoesNotHoldCostsNothing() {
        Sent sent = new Sent();
        ContentServing s = new ContentServing(0, 4, sent);
        s.answer(1, 7, H, null, 0);
        assertEquals(List.of(), sent.frames);
        assertEquals(0, s.refused());
    }
}
