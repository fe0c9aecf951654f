package org.outcalls.replica.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;

class ReplicaStoreTest {
    /** Freed space is reused at once here, so the bound shows within a second of writes. */
    private static final StoreSettings KEEP = new StoreSettings(10, 25, 2, false, 0);

    @TempDir
    Path dir;

    private ReplicaStore open() throws IOException {
        return ReplicaStore.open(dir, StoreWriter.SUBNET, StoreWriter.KEY.publicKey(), KEEP);
    }

    @Test
    void whatConsensusSignedAndFinalizedSurvivesAReopen() throws Exception {
        try (ReplicaStore s = open()) {
            for (long h = 1; h <= 5; h++) {
                s.signed(h, StoreWriter.frame(h, 1));
                s.finalized(StoreWriter.height(h));
            }
            s.signed(6, StoreWriter.frame(6, 1));
            s.signed(6, StoreWriter.frame(6, 2));
            s.signed(7, StoreWriter.frame(7, 1));
        }
        try (ReplicaStore s = open()) {
            assertArrayEquals(new long[] {1, 5}, s.chainRange().orElseThrow());
            List<ArchivedHeight> newest = s.newest(3);
            assertEquals(List.of(3L, 4L, 5L), newest.stream().map(ArchivedHeight::height).toList());
            ArchivedHeight h4 = s.archived(4);
            assertEquals(StoreWriter.height(4).hash(), h4.hash());
            assertArrayEquals(StoreWriter.height(4).finalization(), h4.finalization());
            assertNull(s.archived(3).finalization(), "a height finalized by a descendant has no own finalization");
            List<byte[]> own = s.signedAbove(5);
            assertEquals(3, own.size(), "own artifacts above the finalized height, in order");
            assertArrayEquals(StoreWriter.frame(6, 1), own.get(0));
            assertArrayEquals(StoreWriter.frame(6, 2), own.get(1));
            assertArrayEquals(StoreWriter.frame(7, 1), own.get(2));
            assertTrue(s.signedAbove(0).size() == 3, "own artifacts at finalized heights are dropped");
        }
    }

    @Test
    void aStoreOfAnotherSubnetIsRefusedAndAnotherNodesSignaturesAreDropped() throws Exception {
        try (ReplicaStore s = open()) {
            s.finalized(StoreWriter.height(1));
            s.signed(2, StoreWriter.frame(2, 1));
        }
        IOException e = assertThrows(IOException.class,
                () -> ReplicaStore.open(dir, "other".getBytes(), StoreWriter.KEY.publicKey(), KEEP));
        assertTrue(e.getMessage().contains("belongs to subnet"), e.getMessage());
        NodeKey replacement = NodeKey.generate();
        try (ReplicaStore s = ReplicaStore.open(dir, StoreWriter.SUBNET, replacement.publicKey(), KEEP)) {
            assertNotNull(s.archived(1), "the chain of a copied store is kept");
            assertTrue(s.signedAbove(0).isEmpty(), "what another node signed is not resumed as our own");
        }
    }

    @Test
    void checkpointsReadBackAndRetentionBoundsBlocksCheckpointsAndTheFile() throws Exception {
        long peak = 0;
        try (ReplicaStore s = open()) {
            for (long h = 1; h <= 400; h++) {
                s.finalized(StoreWriter.height(h));
                if (s.checkpointDue(h)) {
                    byte[] state = h % 20 == 0 ? StoreWriter.state(h) : ("small state " + h).getBytes();
                    s.checkpoint(h, Hash.sha256(state).bytes(), state);
                }
                if (h > 200) {
                    peak = Math.max(peak, s.fileBytes());
                }
            }
            assertEquals(List.of(390L, 400L), s.checkpointHeights(), "the newest two checkpoints");
            long[] range = s.chainRange().orElseThrow();
            assertEquals(400, range[1]);
            assertEquals(400 - ReplicaStore.SYNC_ANCESTRY + 1, range[0],
                    "25 heights kept, but the newest checkpoint's ancestry for peers that sync from it");
            ReplicaStore.Checkpoint cp = s.latestCheckpoint().orElseThrow();
            assertEquals(400, cp.height());
            assertArrayEquals(StoreWriter.state(400), cp.bytes());
            assertArrayEquals(Hash.sha256(StoreWriter.state(400)).bytes(), cp.stateHash());
        }
        // two 3 MiB checkpoints at most, plus small blocks: the file does not grow with the chain
        assertTrue(peak < 40L * 1024 * 1024, "store file peaked at " + peak + " bytes");
    }

    @Test
    void blocksAboveTheNewestCheckpointAreNeverPruned() throws Exception {
        try (ReplicaStore s = ReplicaStore.open(dir, StoreWriter.SUBNET, StoreWriter.KEY.publicKey(),
                new StoreSettings(10, 5, 1, false))) {
            for (long h = 1; h <= 140; h++) {
                s.finalized(StoreWriter.height(h));
            }
            assertEquals(1, s.chainRange().orElseThrow()[0], "no checkpoint yet: a restart replays from genesis");
            s.checkpoint(130, new byte[32], "state".getBytes());
            assertEquals(130 - ReplicaStore.SYNC_ANCESTRY + 1, s.chainRange().orElseThrow()[0],
                    "kept from the checkpoint's ancestry on (a syncing peer fetches it), although retention says 5");
        }
    }

    @Test
    void aCrashWhileWritingACheckpointLeavesThePreviousOneAndTheChain() throws Exception {
        // 3 MiB checkpoints at heights 10, 20, ...: the crash point halts the writer after the first
        // chunk of the second checkpoint is committed, before its completion record.
        Process p = writer(List.of("-Doutcalls.crashpoint=" + CrashPoints.CHECKPOINT + ":5"), "1000");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "halted at the crash point");
        try (ReplicaStore s = open()) {
            assertEquals(List.of(10L), s.checkpointHeights(), "only the complete checkpoint");
            ReplicaStore.Checkpoint cp = s.latestCheckpoint().orElseThrow();
            assertArrayEquals(StoreWriter.state(10), cp.bytes());
            assertEquals(20, s.chainRange().orElseThrow()[1], "the block before the checkpoint is there");
        }
        // and the writer goes on from there
        Process again = writer(List.of(), "45");
        assertTrue(again.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue());
        try (ReplicaStore s = open()) {
            assertEquals(List.of(30L, 40L), s.checkpointHeights());
            assertEquals(45, s.chainRange().orElseThrow()[1]);
        }
    }

    @Test
    void aCrashWhilePersistingABlockLosesAtMostThatBlock() throws Exception {
        Process p = writer(List.of("-Doutcalls.crashpoint=" + CrashPoints.BLOCK_UNCOMMITTED + ":7"), "1000");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
        try (ReplicaStore s = open()) {
            assertEquals(6, s.chainRange().orElseThrow()[1], "height 7 was never committed");
            assertEquals(2, s.signedAbove(6).size(), "what was signed at 7 is still known");
        }
    }

    @Test
    void killedAtRandomInstantsTheStoreAlwaysReopensConsistent() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 6; round++) {
            Process p = writer(List.of(), String.valueOf(Long.MAX_VALUE));
            Thread.sleep(300 + random.nextInt(900));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            try (ReplicaStore s = open()) {
                Optional<long[]> range = s.chainRange();
                if (range.isEmpty()) {
                    continue;
                }
                for (long h = range.get()[0]; h <= range.get()[1]; h++) {
                    ArchivedHeight a = s.archived(h);
                    assertNotNull(a, "round " + round + ": height " + h + " missing inside the kept range");
                    assertEquals(StoreWriter.height(h).hash(), a.hash());
                }
                for (long h : s.checkpointHeights()) {
                    assertTrue(h <= range.get()[1], "a checkpoint is never ahead of the chain");
                }
                Optional<ReplicaStore.Checkpoint> cp = s.latestCheckpoint();
                if (cp.isPresent()) {
                    assertArrayEquals(StoreWriter.state(cp.get().height()), cp.get().bytes(), "round " + round);
                    assertTrue(range.get()[0] <= cp.get().height() + 1, "blocks from the checkpoint on are kept");
                }
                for (byte[] own : s.signedAbove(range.get()[1])) {
                    assertFalse(new String(own).isEmpty());
                }
            }
        }
    }

    private Process writer(List<String> jvmArgs, String stopAt) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StoreWriter.class.getName());
        cmd.add(dir.toString());
        cmd.add(stopAt);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName()
                + ".writer.log").toFile()).start();
    }
}
