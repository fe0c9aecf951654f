package org.outcalls.replica.internal.outcall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;

/** Shares are signed in batches that wait for the fetches still in flight, and gossiped as one frame per batch. */
class SignerQueueAndFramesTest {
    private static final Hash SUBNET = Hash.sha256(new byte[] {1});
    private static final NodeKey KEY = NodeKey.generate();

    private static SignerQueue.Pending pending(long callbackId, int contentBytes) {
        byte[] content = new byte[contentBytes];
        content[0] = (byte) callbackId;
        ShareMetadata m = new ShareMetadata(SUBNET, callbackId, Hash.sha256(new byte[] {2}), ContentHash.of("", content),
                content.length, false, "", "two-thirds@1.0.0", 1);
        return new SignerQueue.Pending(m, content);
    }

    /** A timer that runs its task only when the test says so. */
    private static final class ManualTimer implements org.outcalls.transport.Scheduler {
        final List<Runnable> due = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public Cancellable schedule(java.time.Duration delay, Runnable task) {
            due.add(task);
            return () -> due.remove(task);
        }

        void fire() {
            List<Runnable> now = new ArrayList<>(due);
            due.clear();
            now.forEach(Runnable::run);
        }
    }

    @Test
    void sharesWaitForTheFetchesInFlightAndTheLastOneSignsThemTogether() {
        ManualTimer timer = new ManualTimer();
        List<List<SignerQueue.Signed>> batches = new ArrayList<>();
        SignerQueue q = new SignerQueue(KEY, 3, Runnable::run, timer, batches::add);
        for (int i = 0; i < 9; i++) {
            q.submit(pending(i, 10), true);
        }
        assertTrue(batches.isEmpty(), "nothing is signed while fetches are in flight");
        assertEquals(1, timer.due.size(), "one linger timer");
        q.submit(pending(9, 10), false);
        assertEquals(1, batches.size(), "the last fetch's share signs the batch");
        List<SignerQueue.Signed> batch = batches.get(0);
        assertEquals(10, batch.size());
        BatchVerifier verifier = new BatchVerifier(16);
        for (int i = 0; i < 10; i++) {
            assertEquals(i, batch.get(i).share().metadata().callbackId(), "submission order");
            assertEquals(3, batch.get(i).share().signer());
            assertTrue(batch.get(i).share().verify(KEY.publicKey(), verifier));
        }
        assertEquals(1, verifier.signatureChecks(), "one signature check for the batch");

        timer.fire(); // the old linger timer finds nothing to do
        assertEquals(1, batches.size());
        q.submit(pending(10, 10), false);
        assertEquals(2, batches.size(), "an idle replica signs at once");
        q.submit(pending(11, 10), true);
        assertEquals(2, batches.size());
        timer.fire();
        assertEquals(3, batches.size(), "a share waits no longer than the linger");
        assertEquals(11, batches.get(2).get(0).share().metadata().callbackId());
    }

    @Test
    void aFullBatchIsSignedWithoutWaiting() {
        ManualTimer timer = new ManualTimer();
        List<List<SignerQueue.Signed>> batches = new ArrayList<>();
        SignerQueue q = new SignerQueue(KEY, 0, Runnable::run, timer, batches::add);
        for (int i = 0; i < SignerQueue.MAX_BATCH + 5; i++) {
            q.submit(pending(i, 1), true);
        }
        assertEquals(1, batches.size());
        assertEquals(SignerQueue.MAX_BATCH, batches.get(0).size());
        timer.fire();
        assertEquals(5, batches.get(1).size());
    }

    @Test
    void aBatchTravelsInSharesFramesThatDecodeToTheSameSharesAndContents() throws Exception {
        List<List<SignerQueue.Signed>> batches = new ArrayList<>();
        SignerQueue q = new SignerQueue(KEY, 1, Runnable::run, new ManualTimer(), batches::add);
        int count = 600;
        for (int i = 0; i < count; i++) {
            // every third content is too large to travel with its share
            q.submit(pending(i, i % 3 == 0 ? OutcallFrames.INLINE_CONTENT_BYTES + 1 : 3000), i < count - 1);
        }
        List<SignerQueue.Signed> batch = batches.get(0);
        assertEquals(count, batch.size());
        List<OutcallFrames.Carried> carried = new ArrayList<>();
        batch.forEach(s -> carried.add(OutcallFrames.Carried.of(s.share(), s.content())));
        List<byte[]> frames = OutcallFrames.shares(carried);
        assertEquals(2, frames.size(), "400 contents of 3,000 bytes need two frames of about 1 MiB");
        List<OutcallFrames.Carried> decoded = new ArrayList<>();
        for (byte[] f : frames) {
            assertTrue(f.length < OutcallFrames.MAX_SHARES_FRAME_BYTES + 8192, "frame of " + f.length + " bytes");
            OutcallFrames.Frame frame = OutcallFrames.decode(f);
            assertEquals(OutcallFrames.SHARES, frame.type());
            decoded.addAll(frame.shares());
        }
        assertEquals(count, decoded.size());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(bytes(batch.get(i).share()), bytes(decoded.get(i).share()));
            if (i % 3 == 0) {
                assertNull(decoded.get(i).content(), "a large content is fetched on request, not gossiped");
            } else {
                assertArrayEquals(batch.get(i).content(), decoded.get(i).content());
            }
        }
    }

    private static byte[] bytes(org.outcalls.consensus.outcall.SignedShare share) {
        CanonicalWriter w = new CanonicalWriter(512);
        share.write(w);
        return w.toByteArray();
    }

    @Test
    void malformedSharesFramesAreRefused() {
        assertThrows(DecodeException.class, () -> OutcallFrames.decode(
                new CanonicalWriter(8).u8(OutcallFrames.SHARES).u32(0).toByteArray()));
        assertThrows(DecodeException.class, () -> OutcallFrames.decode(
                new CanonicalWriter(8).u8(OutcallFrames.SHARES).u32(OutcallFrames.MAX_SHARES_PER_FRAME + 1).toByteArray()));
        assertThrows(DecodeException.class, () -> OutcallFrames.decode(
                new CanonicalWriter(8).u8(OutcallFrames.SHARES).u32(2).toByteArray()));
    }
}
